package dev.carrot.trainer.job;

import static dev.carrot.common.ConfigValues.positive;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code eval:} section of a job: how the held-out evaluations before and after RL decode. Greedy decoding
 * makes "what the policy says" a function of the policy alone.
 *
 * @param maxNewTokens completion length limit [24]
 * @param seed         sampling seed (irrelevant while greedy) [0]
 */
public record EvalSettings(@JsonProperty("max_new_tokens") Integer maxNewTokens, @JsonProperty("seed") Long seed) {

    public EvalSettings {
        maxNewTokens = positive("max_new_tokens", maxNewTokens, 24);
        seed = seed == null ? 0L : seed;
    }
}
