package dev.carrot.trainer.rl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Per-token estimators of KL(π ‖ π_ref) from the log-probabilities of sampled tokens (Schulman, "Approximating KL
 * divergence", 2020). Each sample is a token drawn from π; its expectation over π is the KL.
 */
public enum KlEstimator {

    /** log π − log π_ref: unbiased, but negative on tokens π_ref prefers, so high variance at small KL. */
    K1 {
        @Override
        public double estimate(double logprob, double refLogprob) {
            return logprob - refLogprob;
        }

        @Override
        public double gradient(double logprob, double refLogprob) {
            return 1;
        }
    },

    /** (r − 1) − log r with r = π_ref/π: unbiased, never negative, lower variance than {@link #K1}. */
    K3 {
        @Override
        public double estimate(double logprob, double refLogprob) {
            double logRatio = refLogprob - logprob;
            return Math.expm1(logRatio) - logRatio;
        }

        @Override
        public double gradient(double logprob, double refLogprob) {
            return -Math.expm1(refLogprob - logprob);
        }
    };

    /** The estimator a job file names ({@code kl_estimator: k1} or {@code k3}), in any case. */
    @JsonCreator
    public static KlEstimator named(String name) {
        for (KlEstimator e : values()) {
            if (e.id().equalsIgnoreCase(name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("kl_estimator: expected k1 or k3, got " + name);
    }

    /** The name job files use. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The estimate on one sampled token from its log-probability under π and under π_ref. */
    public abstract double estimate(double logprob, double refLogprob);

    /**
     * ∂ estimate / ∂ logprob, for a KL loss term (GRPO's form). The penalty-in-reward form (PPO's) treats the KL as
     * part of the reward and needs no gradient.
     */
    public abstract double gradient(double logprob, double refLogprob);

    /** Per-token estimates [B·T], 0 outside the mask. */
    public float[] perToken(float[] logprobs, float[] refLogprobs, float[] mask) {
        Masked.requireSameLength("logprobs", logprobs, mask);
        Masked.requireSameLength("refLogprobs", refLogprobs, mask);
        Masked.requireBinary(mask);
        float[] kl = new float[mask.length];
        for (int n = 0; n < kl.length; n++) {
            if (mask[n] != 0) {
                kl[n] = (float) estimate(logprobs[n], refLogprobs[n]);
            }
        }
        return kl;
    }
}
