package dev.carrot.policy.generate;

/**
 * The most likely tokens at one step of a completion, most likely first, with their log-probabilities under the
 * policy's unmodified distribution (temperature 1, no truncation): what OpenAI's {@code top_logprobs} report. The
 * arrays are owned by the record.
 */
public record Alternatives(int[] tokens, float[] logprobs) {

    public Alternatives {
        if (tokens.length != logprobs.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + logprobs.length + " logprobs");
        }
    }
}
