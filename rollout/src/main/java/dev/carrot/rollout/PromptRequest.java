package dev.carrot.rollout;

import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.generate.Seed;
import java.util.Objects;

/**
 * One prompt to complete, how to sample it, and where its randomness comes from. Its completion depends on these and
 * the weights, not on the prompts it is batched with (up to the rounding described in {@link Seed}), so requests
 * from different callers can share a batch.
 *
 * @param prompt   the prompt text, encoded with a leading BOS
 * @param sampling how to sample
 * @param seed     the sequence's own random stream
 */
public record PromptRequest(String prompt, SamplingParams sampling, Seed seed) {

    public PromptRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(seed, "seed");
    }
}
