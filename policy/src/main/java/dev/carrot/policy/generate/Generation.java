package dev.carrot.policy.generate;

/**
 * One completion.
 *
 * @param tokens       the generated tokens, in order, including a final end-of-sequence token if one was sampled
 * @param logprobs     per generated token, its log-probability under the policy's unmodified distribution
 *                     (temperature 1, no truncation): what PPO's ratio and calibration metrics need
 * @param text         the decoded completion, end-of-sequence token excluded, cut before any stop string
 * @param finishReason why it ended
 */
public record Generation(int[] tokens, float[] logprobs, String text, FinishReason finishReason) {

    /** Σ logprobs: the log-probability of the whole completion. */
    public double sequenceLogProb() {
        double sum = 0;
        for (float lp : logprobs) {
            sum += lp;
        }
        return sum;
    }
}
