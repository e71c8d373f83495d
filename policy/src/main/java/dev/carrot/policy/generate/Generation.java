package dev.carrot.policy.generate;

import java.util.List;

/**
 * One completion.
 *
 * @param tokens       the generated tokens, in order, including a final end-of-sequence token if one was sampled
 * @param logprobs     per generated token, its log-probability under the policy's unmodified distribution
 *                     (temperature 1, no truncation): what PPO's ratio and calibration metrics need
 * @param text         the decoded completion, end-of-sequence token excluded, cut before any stop string
 * @param finishReason why it ended
 * @param alternatives per generated token, the most likely tokens at its step, when
 *                     {@link SamplingParams#alternatives()} asked for them; otherwise empty
 */
public record Generation(int[] tokens, float[] logprobs, String text, FinishReason finishReason,
        List<Alternatives> alternatives) {

    public Generation {
        alternatives = List.copyOf(alternatives);
    }

    /** Σ logprobs: the log-probability of the whole completion. */
    public double sequenceLogProb() {
        double sum = 0;
        for (float lp : logprobs) {
            sum += lp;
        }
        return sum;
    }
}
