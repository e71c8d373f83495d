package dev.carrot.policy.optim;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * AdamW's hyper-parameters.
 *
 * @param beta1       decay of the first-moment estimate; default 0.9
 * @param beta2       decay of the second-moment estimate; default 0.95 (GPT-2/nanoGPT practice for small batches)
 * @param epsilon     added to √v; default 1e-8
 * @param weightDecay decoupled decay applied to matrices (not to biases, gains or the value head's bias); default 0.1
 */
public record AdamWConfig(
        @JsonProperty("beta1") double beta1,
        @JsonProperty("beta2") double beta2,
        @JsonProperty("epsilon") double epsilon,
        @JsonProperty("weight_decay") double weightDecay) {

    public static final AdamWConfig DEFAULT = new AdamWConfig(0.9, 0.95, 1e-8, 0.1);

    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1: expected a number in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2: expected a number in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon: expected a positive number, got " + epsilon);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight_decay: expected a non-negative number, got " + weightDecay);
        }
    }
}
