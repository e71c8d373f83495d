package dev.carrot.policy.generate;

import dev.carrot.policy.kernels.LogSoftmaxRow;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks a token from one row of logits: greedy, or sampled after temperature, top-k and top-p. Reports the
 * chosen token's log-probability under the unmodified distribution. Reuses its scratch arrays: one per thread.
 */
final class Sampler {

    private final int vocab;
    private final float[] row;
    private final float[] exps;
    private final double[] probs;
    private final Integer[] order;

    Sampler(int vocab) {
        this.vocab = vocab;
        this.row = new float[vocab];
        this.exps = new float[vocab];
        this.probs = new double[vocab];
        this.order = new Integer[vocab];
    }

    /**
     * The chosen token; {@code logprobOut[0]} receives its log-probability at temperature 1, computed as the training
     * pass computes it ({@link LogSoftmaxRow}), so that the two agree bit for bit. At temperature 1 the draw reuses
     * the normaliser's exponentials: one {@link Math#exp} per logit rather than two.
     */
    int sample(FloatBuffer logits, int offset, SamplingParams params, RandomGenerator random, float[] logprobOut) {
        logits.get(offset, row, 0, vocab);
        float max = LogSoftmaxRow.max(row, vocab);
        double sum = LogSoftmaxRow.exponentiate(row, vocab, max, exps);
        float logZ = LogSoftmaxRow.logNormalizer(max, sum);
        int token;
        if (params.greedy()) {
            token = argmax(row);
        } else {
            if (params.temperature() == 1) {
                for (int v = 0; v < vocab; v++) {
                    probs[v] = exps[v];
                }
            } else {
                sum = 0;
                for (int v = 0; v < vocab; v++) {
                    probs[v] = Math.exp((row[v] - max) / params.temperature());
                    sum += probs[v];
                }
            }
            token = draw(sum, params, random);
        }
        logprobOut[0] = row[token] - logZ;
        return token;
    }

    /** The first index of the largest value. */
    private int argmax(float[] z) {
        int best = 0;
        for (int v = 1; v < vocab; v++) {
            if (z[v] > z[best]) {
                best = v;
            }
        }
        return best;
    }

    /** The {@code count} most likely tokens of the row, most likely first (ties: lower id first). */
    Alternatives alternatives(FloatBuffer logits, int offset, int count) {
        int k = Math.min(count, vocab);
        int[] tokens = new int[k];
        float[] best = new float[k];
        int kept = 0;
        logits.get(offset, row, 0, vocab);
        float max = LogSoftmaxRow.max(row, vocab);
        float logZ = LogSoftmaxRow.logNormalizer(max, LogSoftmaxRow.exponentiate(row, vocab, max, exps));
        for (int v = 0; v < vocab; v++) {
            float z = row[v];
            if (kept < k || z > best[kept - 1]) { // insert into the sorted list, dropping its last when full
                int at = kept < k ? kept++ : k - 1;
                while (at > 0 && best[at - 1] < z) {
                    best[at] = best[at - 1];
                    tokens[at] = tokens[at - 1];
                    at--;
                }
                best[at] = z;
                tokens[at] = v;
            }
        }
        float[] logprobs = new float[k];
        for (int i = 0; i < k; i++) {
            logprobs[i] = best[i] - logZ;
        }
        return new Alternatives(tokens, logprobs);
    }

    /** Draws from {@code probs}, the unnormalised probabilities at the sampling temperature, which sum to {@code sum}. */
    private int draw(double sum, SamplingParams params, RandomGenerator random) {
        int kept = vocab;
        if (params.topK() > 0 || params.topP() < 1) {
            for (int v = 0; v < vocab; v++) {
                order[v] = v;
            }
            Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
            if (params.topK() > 0) {
                kept = Math.min(kept, params.topK());
            }
            if (params.topP() < 1) {
                double cumulative = 0;
                for (int i = 0; i < kept; i++) {
                    cumulative += probs[order[i]] / sum;
                    if (cumulative >= params.topP()) {
                        kept = i + 1;
                        break;
                    }
                }
            }
            double keptSum = 0;
            for (int i = 0; i < kept; i++) {
                keptSum += probs[order[i]];
            }
            double u = random.nextDouble() * keptSum;
            for (int i = 0; i < kept; i++) {
                u -= probs[order[i]];
                if (u <= 0) {
                    return order[i];
                }
            }
            return order[kept - 1];
        }
        double u = random.nextDouble() * sum;
        int last = 0;
        for (int v = 0; v < vocab; v++) {
            if (probs[v] > 0) {
                last = v;
                u -= probs[v];
                if (u <= 0) {
                    return v;
                }
            }
        }
        return last; // rounding left u slightly above 0: the last token with mass
    }
}
