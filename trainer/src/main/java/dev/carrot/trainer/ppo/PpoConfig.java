package dev.carrot.trainer.ppo;

import static dev.carrot.common.ConfigValues.nonNegative;
import static dev.carrot.common.ConfigValues.positive;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import dev.carrot.trainer.rl.KlEstimator;
import java.util.Locale;

/**
 * The {@code ppo:} section of a job file. Defaults (in brackets) follow common practice for RL fine-tuning of
 * small language models (TRL's PPOConfig, cleanrl), scaled to the calibration world. Job files set any of the keys
 * and leave the rest to their defaults; code does the same through {@link #builder()}.
 *
 * @param algorithm          {@code ppo} (clipped surrogate with a learned value head and GAE), {@code grpo}
 *                           (group-normalised rewards, no critic) or {@code rloo} (leave-one-out baseline) [ppo]
 * @param iterations         rollout + update rounds [40]
 * @param promptsPerIteration prompts sampled from the RL set per iteration [64]
 * @param samplesPerPrompt   completions per prompt: 1 for PPO, the group size for GRPO and RLOO [1; 4 for the others]
 * @param epochs             passes over each iteration's rollouts [2]
 * @param minibatchSize      rollouts per gradient step [16]
 * @param learningRate       AdamW learning rate [5e-5]
 * @param lrSchedule         {@code constant}, or {@code linear}: annealed from learning_rate at the first iteration
 *                           towards 0 after the last, as cleanrl's PPO does by default [constant]
 * @param clip               ε of the clipped surrogate [0.2]
 * @param valueClip          ε of the clipped value loss [0.2]
 * @param valueCoef          weight of the value loss [0.1]
 * @param entropyCoef        weight of the entropy bonus [0.0]
 * @param gamma              discount [1.0]
 * @param lambda             GAE λ [0.95]
 * @param klEstimator        per-token KL estimator in the reward penalty, {@code k1} or {@code k3} [k1]
 * @param klCoef             initial KL penalty β [0.05]
 * @param klTarget           adaptive-β target KL per sequence; 0 keeps β fixed [0]
 * @param klHorizon          adaptive-β horizon in sequences [10000]
 * @param targetKl           stop an iteration's epochs early once approx_kl exceeds it; 0 never stops [0.1]
 * @param gradClip           global gradient-norm clip [1.0]
 * @param whitenAdvantages   normalise advantages over each batch [true]
 * @param temperature        sampling temperature of rollouts [1.0]; the trainer scores tokens under the same
 *                           tempered policy (logits / temperature, as TRL), so ratios, KL and entropy are exact
 * @param maxNewTokens       completion length limit [24]
 * @param evalEvery          iterations between held-out evaluations; 0 evaluates only at the end [10]
 * @param checkpointEvery    iterations between run checkpoints [5]
 * @param seed               prompt sampling, rollouts, value-head initialisation [1]
 */
@JsonDeserialize(builder = PpoConfig.Builder.class)
public record PpoConfig(
        Algorithm algorithm,
        Integer iterations,
        Integer promptsPerIteration,
        Integer samplesPerPrompt,
        Integer epochs,
        Integer minibatchSize,
        Double learningRate,
        LrSchedule lrSchedule,
        Double clip,
        Double valueClip,
        Double valueCoef,
        Double entropyCoef,
        Double gamma,
        Double lambda,
        KlEstimator klEstimator,
        Double klCoef,
        Double klTarget,
        Double klHorizon,
        Double targetKl,
        Double gradClip,
        Boolean whitenAdvantages,
        Double temperature,
        Integer maxNewTokens,
        Integer evalEvery,
        Integer checkpointEvery,
        Long seed) {

    /** The policy-gradient estimator, named in job files in lower case. */
    public enum Algorithm {
        PPO, GRPO, RLOO;

        /** The algorithm a job file names, in any case. */
        @JsonCreator
        public static Algorithm named(String name) {
            for (Algorithm a : values()) {
                if (a.id().equalsIgnoreCase(name.trim())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("algorithm: expected ppo, grpo or rloo, got " + name);
        }

        /** The name job files and reports use. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How the learning rate moves over the run, named in job files in lower case. */
    public enum LrSchedule {
        CONSTANT, LINEAR;

        @JsonCreator
        public static LrSchedule named(String name) {
            for (LrSchedule schedule : values()) {
                if (schedule.id().equalsIgnoreCase(name.trim())) {
                    return schedule;
                }
            }
            throw new IllegalArgumentException("lr_schedule: expected constant or linear, got " + name);
        }

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PpoConfig {
        algorithm = algorithm == null ? Algorithm.PPO : algorithm;
        iterations = positive("iterations", iterations, 40);
        promptsPerIteration = positive("prompts_per_iteration", promptsPerIteration, 64);
        samplesPerPrompt = positive("samples_per_prompt", samplesPerPrompt, algorithm == Algorithm.PPO ? 1 : 4);
        if (algorithm != Algorithm.PPO && samplesPerPrompt < 2) {
            throw new IllegalArgumentException("samples_per_prompt: expected at least 2 for " + algorithm
                    + " (its baseline compares completions of one prompt), got " + samplesPerPrompt);
        }
        epochs = positive("epochs", epochs, 2);
        minibatchSize = positive("minibatch_size", minibatchSize, 16);
        if (minibatchSize > promptsPerIteration * samplesPerPrompt) {
            throw new IllegalArgumentException("minibatch_size: expected at most the rollouts of an iteration,"
                    + " prompts_per_iteration × samples_per_prompt = " + promptsPerIteration * samplesPerPrompt
                    + ", got " + minibatchSize);
        }
        learningRate = positive("learning_rate", learningRate, 5e-5);
        lrSchedule = lrSchedule == null ? LrSchedule.CONSTANT : lrSchedule;
        clip = positive("clip", clip, 0.2);
        valueClip = positive("value_clip", valueClip, 0.2);
        valueCoef = nonNegative("value_coef", valueCoef, 0.1);
        entropyCoef = nonNegative("entropy_coef", entropyCoef, 0.0);
        gamma = positive("gamma", gamma, 1.0);
        lambda = nonNegative("lambda", lambda, 0.95);
        if (gamma > 1 || lambda > 1) {
            throw new IllegalArgumentException("gamma and lambda: expected numbers in [0, 1], got " + gamma + ", "
                    + lambda);
        }
        klEstimator = klEstimator == null ? KlEstimator.K1 : klEstimator;
        klCoef = nonNegative("kl_coef", klCoef, 0.05);
        klTarget = nonNegative("kl_target", klTarget, 0.0);
        klHorizon = positive("kl_horizon", klHorizon, 10000.0);
        targetKl = nonNegative("target_kl", targetKl, 0.1);
        gradClip = positive("grad_clip", gradClip, 1.0);
        whitenAdvantages = whitenAdvantages == null || whitenAdvantages;
        temperature = positive("temperature", temperature, 1.0);
        maxNewTokens = positive("max_new_tokens", maxNewTokens, 24);
        evalEvery = evalEvery == null ? 10 : evalEvery;
        if (evalEvery < 0) {
            throw new IllegalArgumentException("eval_every: expected an integer ≥ 0, got " + evalEvery);
        }
        checkpointEvery = positive("checkpoint_every", checkpointEvery, 5);
        seed = seed == null ? 1L : seed;
    }

    /**
     * The learning rate of iteration {@code iteration} (counted from 0): {@link #learningRate} throughout, or
     * annealed linearly so that the first iteration takes all of it and the last 1/iterations of it.
     */
    public double learningRateAt(int iteration) {
        return switch (lrSchedule) {
            case CONSTANT -> learningRate;
            case LINEAR -> learningRate * (1.0 - (double) iteration / iterations);
        };
    }

    public static PpoConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Any subset of the keys; {@link #build} fills in the defaults and checks the result. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {

        private Algorithm algorithm;
        private Integer iterations;
        private Integer promptsPerIteration;
        private Integer samplesPerPrompt;
        private Integer epochs;
        private Integer minibatchSize;
        private Double learningRate;
        private LrSchedule lrSchedule;
        private Double clip;
        private Double valueClip;
        private Double valueCoef;
        private Double entropyCoef;
        private Double gamma;
        private Double lambda;
        private KlEstimator klEstimator;
        private Double klCoef;
        private Double klTarget;
        private Double klHorizon;
        private Double targetKl;
        private Double gradClip;
        private Boolean whitenAdvantages;
        private Double temperature;
        private Integer maxNewTokens;
        private Integer evalEvery;
        private Integer checkpointEvery;
        private Long seed;

        private Builder() {}

        @JsonProperty("algorithm")
        public Builder algorithm(Algorithm value) {
            this.algorithm = value;
            return this;
        }

        @JsonProperty("iterations")
        public Builder iterations(Integer value) {
            this.iterations = value;
            return this;
        }

        @JsonProperty("prompts_per_iteration")
        public Builder promptsPerIteration(Integer value) {
            this.promptsPerIteration = value;
            return this;
        }

        @JsonProperty("samples_per_prompt")
        public Builder samplesPerPrompt(Integer value) {
            this.samplesPerPrompt = value;
            return this;
        }

        @JsonProperty("epochs")
        public Builder epochs(Integer value) {
            this.epochs = value;
            return this;
        }

        @JsonProperty("minibatch_size")
        public Builder minibatchSize(Integer value) {
            this.minibatchSize = value;
            return this;
        }

        @JsonProperty("learning_rate")
        public Builder learningRate(Double value) {
            this.learningRate = value;
            return this;
        }

        @JsonProperty("lr_schedule")
        public Builder lrSchedule(LrSchedule value) {
            this.lrSchedule = value;
            return this;
        }

        @JsonProperty("clip")
        public Builder clip(Double value) {
            this.clip = value;
            return this;
        }

        @JsonProperty("value_clip")
        public Builder valueClip(Double value) {
            this.valueClip = value;
            return this;
        }

        @JsonProperty("value_coef")
        public Builder valueCoef(Double value) {
            this.valueCoef = value;
            return this;
        }

        @JsonProperty("entropy_coef")
        public Builder entropyCoef(Double value) {
            this.entropyCoef = value;
            return this;
        }

        @JsonProperty("gamma")
        public Builder gamma(Double value) {
            this.gamma = value;
            return this;
        }

        @JsonProperty("lambda")
        public Builder lambda(Double value) {
            this.lambda = value;
            return this;
        }

        @JsonProperty("kl_estimator")
        public Builder klEstimator(KlEstimator value) {
            this.klEstimator = value;
            return this;
        }

        @JsonProperty("kl_coef")
        public Builder klCoef(Double value) {
            this.klCoef = value;
            return this;
        }

        @JsonProperty("kl_target")
        public Builder klTarget(Double value) {
            this.klTarget = value;
            return this;
        }

        @JsonProperty("kl_horizon")
        public Builder klHorizon(Double value) {
            this.klHorizon = value;
            return this;
        }

        @JsonProperty("target_kl")
        public Builder targetKl(Double value) {
            this.targetKl = value;
            return this;
        }

        @JsonProperty("grad_clip")
        public Builder gradClip(Double value) {
            this.gradClip = value;
            return this;
        }

        @JsonProperty("whiten_advantages")
        public Builder whitenAdvantages(Boolean value) {
            this.whitenAdvantages = value;
            return this;
        }

        @JsonProperty("temperature")
        public Builder temperature(Double value) {
            this.temperature = value;
            return this;
        }

        @JsonProperty("max_new_tokens")
        public Builder maxNewTokens(Integer value) {
            this.maxNewTokens = value;
            return this;
        }

        @JsonProperty("eval_every")
        public Builder evalEvery(Integer value) {
            this.evalEvery = value;
            return this;
        }

        @JsonProperty("checkpoint_every")
        public Builder checkpointEvery(Integer value) {
            this.checkpointEvery = value;
            return this;
        }

        @JsonProperty("seed")
        public Builder seed(Long value) {
            this.seed = value;
            return this;
        }

        public PpoConfig build() {
            return new PpoConfig(
                    algorithm, iterations, promptsPerIteration, samplesPerPrompt, epochs, minibatchSize,
                    learningRate, lrSchedule, clip, valueClip, valueCoef, entropyCoef, gamma, lambda, klEstimator,
                    klCoef, klTarget, klHorizon, targetKl, gradClip, whitenAdvantages, temperature, maxNewTokens,
                    evalEvery, checkpointEvery, seed);
        }
    }
}
