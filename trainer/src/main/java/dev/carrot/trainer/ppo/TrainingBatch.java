package dev.carrot.trainer.ppo;

import dev.carrot.rollout.Completion;
import java.util.Arrays;
import java.util.List;

/**
 * Completions laid out for the policy's training forward pass: row b holds {@code BOS prompt completion}, inputs
 * are its tokens but the last and targets its tokens but the first, right-padded to T. The mask selects the
 * positions whose target is a completion token: the actions PPO scores. Sizes: B rollouts, T positions.
 */
final class TrainingBatch {

    final int B;
    final int T;
    final int[] inputs;             // [B·T]
    final int[] targets;            // [B·T]
    final float[] mask;             // [B·T]
    final float[] samplingLogprobs; // [B·T] the workers' log-probs of the actions, 0 elsewhere
    final int[] lastAction;         // [B] index n of each row's final action

    private TrainingBatch(int B, int T) {
        this.B = B;
        this.T = T;
        inputs = new int[B * T];
        targets = new int[B * T];
        mask = new float[B * T];
        samplingLogprobs = new float[B * T];
        lastAction = new int[B];
    }

    /**
     * @param rows   at least the number of completions: extra rows are all-padding with a zero mask, so that
     *               every minibatch has the same shape
     * @param maxT   the model's context
     */
    static TrainingBatch of(List<Completion> completions, int rows, int pad, int maxT) {
        int longest = 0;
        for (Completion c : completions) {
            longest = Math.max(longest, c.promptTokens().length + c.tokens().length - 1);
        }
        // Round up so that iterations reuse a few activation shapes instead of allocating a new one each time.
        int T = Math.min(maxT, ((longest + 15) / 16) * 16);
        if (longest > maxT) {
            throw new IllegalStateException("a rollout of " + (longest + 1) + " tokens exceeds the context " + maxT);
        }
        TrainingBatch batch = new TrainingBatch(rows, T);
        Arrays.fill(batch.inputs, pad);
        Arrays.fill(batch.targets, pad);
        for (int b = 0; b < completions.size(); b++) {
            Completion c = completions.get(b);
            int promptLength = c.promptTokens().length;
            int length = promptLength + c.tokens().length;
            int[] sequence = Arrays.copyOf(c.promptTokens(), length);
            System.arraycopy(c.tokens(), 0, sequence, promptLength, c.tokens().length);
            for (int t = 0; t < length - 1; t++) {
                int n = b * T + t;
                batch.inputs[n] = sequence[t];
                batch.targets[n] = sequence[t + 1];
                if (t >= promptLength - 1) {
                    batch.mask[n] = 1f;
                    batch.samplingLogprobs[n] = c.logprobs()[t - (promptLength - 1)];
                }
            }
            batch.lastAction[b] = b * T + length - 2;
        }
        return batch;
    }

    /** Rows {@code rows[i]} of {@code values} [B·T], gathered into [rows.length·T]. */
    float[] gather(float[] values, int[] rows) {
        float[] out = new float[rows.length * T];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(values, rows[i] * T, out, i * T, T);
        }
        return out;
    }

    int[] gather(int[] values, int[] rows) {
        int[] out = new int[rows.length * T];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(values, rows[i] * T, out, i * T, T);
        }
        return out;
    }

    /** Writes {@code part} [rows.length·T] back into rows {@code rows[i]} of {@code values} [B·T]. */
    void scatter(float[] part, int[] rows, float[] values) {
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(part, i * T, values, rows[i] * T, T);
        }
    }
}
