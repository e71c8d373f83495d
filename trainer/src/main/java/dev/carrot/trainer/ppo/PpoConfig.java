package dev.carrot.trainer.ppo;

import static dev.carrot.common.ConfigValues.nonNegative;
import static dev.carrot.common.ConfigValues.positive;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.carrot.trainer.rl.KlEstimator;
import java.util.Locale;

/**
 * The {@code ppo:} section of a job file. Defaults (in brackets) follow common practice for RL fine-tuning of
 * small language models (TRL's PPOConfig, cleanrl), scaled to the calibration world.
 *
 * @param algorithm          {@code ppo} (clipped surrogate with a learned value head and GAE), {@code grpo}
 *                           (group-normalised rewards, no critic) or {@code rloo} (leave-one-out baseline) [ppo]
 * @param iterations         rollout + update rounds [40]
 * @param promptsPerIteration prompts sampled from the RL set per iteration [64]
 * @param samplesPerPrompt   completions per prompt: 1 for PPO, the group size for GRPO and RLOO [1; 4 for the others]
 * @param epochs             passes over each iteration's rollouts [2]
 * @param minibatchSize      rollouts per gradient step [16]
 * @param learningRate       AdamW learning rate, constant over the run [5e-5]
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
public record PpoConfig(
        @JsonProperty("algorithm") Algorithm algorithm,
        @JsonProperty("iterations") Integer iterations,
        @JsonProperty("prompts_per_iteration") Integer promptsPerIteration,
        @JsonProperty("samples_per_prompt") Integer samplesPerPrompt,
        @JsonProperty("epochs") Integer epochs,
        @JsonProperty("minibatch_size") Integer minibatchSize,
        @JsonProperty("learning_rate") Double learningRate,
        @JsonProperty("clip") Double clip,
        @JsonProperty("value_clip") Double valueClip,
        @JsonProperty("value_coef") Double valueCoef,
        @JsonProperty("entropy_coef") Double entropyCoef,
        @JsonProperty("gamma") Double gamma,
        @JsonProperty("lambda") Double lambda,
        @JsonProperty("kl_estimator") KlEstimator klEstimator,
        @JsonProperty("kl_coef") Double klCoef,
        @JsonProperty("kl_target") Double klTarget,
        @JsonProperty("kl_horizon") Double klHorizon,
        @JsonProperty("target_kl") Double targetKl,
        @JsonProperty("grad_clip") Double gradClip,
        @JsonProperty("whiten_advantages") Boolean whitenAdvantages,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("max_new_tokens") Integer maxNewTokens,
        @JsonProperty("eval_every") Integer evalEvery,
        @JsonProperty("checkpoint_every") Integer checkpointEvery,
        @JsonProperty("seed") Long seed) {

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
        learningRate = positive("learning_rate", learningRate, 5e-5);
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

    public static PpoConfig defaults() {
        return new PpoConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }
}
