package dev.carrot.trainer.rl;

/**
 * Advantage estimators: how much better than expected each sampled token (PPO's GAE) or each sampled completion
 * (GRPO, RLOO) turned out.
 *
 * <p>Token arrays are flat {@code [B·T]}, row-major over (sequence b, time t), with {@code mask[n]} 1 on the completion
 * tokens that count and 0 elsewhere. Per-sequence arrays hold one entry per sequence; the critic-free estimators
 * (GRPO, RLOO) expect the {@code groupSize} completions of one prompt to be consecutive.
 */
public final class Advantages {

    /** Added to the variance before whitening, as TRL's {@code masked_whiten}. */
    private static final double WHITEN_EPSILON = 1e-8;
    /** Added to a group's standard deviation, as TRL's GRPO, so a group of near-equal rewards does not explode. */
    private static final double GRPO_EPSILON = 1e-4;

    private Advantages() {
    }

    /**
     * Advantages and value targets of one GAE pass.
     *
     * @param advantages Â_t per token, 0 outside the mask
     * @param returns    the value targets Â_t + V_t per token, 0 outside the mask
     */
    public record Gae(float[] advantages, float[] returns) {
    }

    /**
     * Per-token GAE(γ, λ) (Schulman et al. 2016) over each sequence's masked span:
     * δ_t = r_t + γ·V_{t+1} − V_t and Â_t = δ_t + γλ·Â_{t+1}, computed backwards from the span's last token.
     *
     * <p>The span must be contiguous. The episode ends at its last masked token, so the value after it bootstraps as 0
     * and the last token's advantage is r_t − V_t. Rewards outside the mask are ignored: put the score (and any
     * per-token KL penalty) on masked tokens. With γ = λ = 1 the advantage is the reward-to-go minus the value; with
     * λ = 0 it is the one-step TD error. A sequence whose mask is all zero gets zeros.
     *
     * @param rewards per-token rewards [B·T]
     * @param values  the critic's value estimates V_t [B·T]
     * @param gamma   discount γ ∈ [0, 1]
     * @param lambda  GAE λ ∈ [0, 1]: 0 trusts the critic (low variance, biased), 1 the sampled rewards
     */
    public static Gae gae(float[] rewards, float[] values, float[] mask, int B, int T, double gamma, double lambda) {
        Masked.requireShape(mask, B, T);
        Masked.requireSameLength("rewards", rewards, mask);
        Masked.requireSameLength("values", values, mask);
        Masked.requireBinary(mask);
        ArgumentChecks.requireUnitInterval("gamma", gamma);
        ArgumentChecks.requireUnitInterval("lambda", lambda);
        float[] advantages = new float[B * T];
        float[] returns = new float[B * T];
        for (int b = 0; b < B; b++) {
            int row = b * T;
            int start = 0;
            while (start < T && mask[row + start] == 0) {
                start++;
            }
            int end = T - 1;
            while (end >= start && mask[row + end] == 0) {
                end--;
            }
            double nextValue = 0;
            double nextAdvantage = 0;
            for (int t = end; t >= start; t--) {
                int n = row + t;
                if (mask[n] == 0) {
                    throw new IllegalArgumentException("the mask of sequence " + b + " has a gap at t = " + t
                            + " inside its span [" + start + ", " + end + "]; GAE needs a contiguous completion");
                }
                double delta = rewards[n] + gamma * nextValue - values[n];
                double advantage = delta + gamma * lambda * nextAdvantage;
                advantages[n] = (float) advantage;
                returns[n] = (float) (advantage + values[n]);
                nextValue = values[n];
                nextAdvantage = advantage;
            }
        }
        return new Gae(advantages, returns);
    }

    /**
     * Whitening, as TRL's {@code masked_whiten}: (x − mean)/√(var + 1e-8) with the masked mean and unbiased variance,
     * so the masked result has mean 0 and (up to the epsilon) unit variance. When {@code shiftMean} is false the mean is
     * added back, rescaling without centring (TRL uses this for rewards). 0 outside the mask. Needs at least two masked
     * tokens.
     */
    public static float[] whiten(float[] x, float[] mask, boolean shiftMean) {
        double mean = Masked.mean(x, mask);
        double scale = 1 / Math.sqrt(Masked.variance(x, mask) + WHITEN_EPSILON);
        double offset = shiftMean ? 0 : mean;
        float[] whitened = new float[x.length];
        for (int n = 0; n < x.length; n++) {
            if (mask[n] != 0) {
                whitened[n] = (float) ((x[n] - mean) * scale + offset);
            }
        }
        return whitened;
    }

    /**
     * GRPO's group-relative advantage (Shao et al. 2024, as TRL's GRPOTrainer): each completion's reward minus the
     * mean reward of its prompt's group, divided by the group's unbiased standard deviation + 1e-4 when
     * {@code scaleByStd}. A group whose completions all scored the same gets advantage 0: it carries no signal.
     * Dr. GRPO (Liu et al. 2025) recommends {@code scaleByStd = false}, since scaling favours prompts that are too easy
     * or too hard.
     *
     * @param sequenceRewards one reward per completion, the {@code groupSize} completions of a prompt consecutive
     * @param groupSize       completions per prompt, at least 2
     */
    public static double[] grpo(double[] sequenceRewards, int groupSize, boolean scaleByStd) {
        requireGroups(sequenceRewards, groupSize);
        double[] advantages = new double[sequenceRewards.length];
        for (int g = 0; g < sequenceRewards.length; g += groupSize) {
            double mean = 0;
            for (int i = g; i < g + groupSize; i++) {
                mean += sequenceRewards[i];
            }
            mean /= groupSize;
            double squaredDeviations = 0;
            for (int i = g; i < g + groupSize; i++) {
                double d = sequenceRewards[i] - mean;
                squaredDeviations += d * d;
            }
            double scale = scaleByStd ? 1 / (Math.sqrt(squaredDeviations / (groupSize - 1)) + GRPO_EPSILON) : 1;
            for (int i = g; i < g + groupSize; i++) {
                advantages[i] = (sequenceRewards[i] - mean) * scale;
            }
        }
        return advantages;
    }

    /**
     * RLOO's leave-one-out advantage (Ahmadian et al. 2024): each completion's reward minus the mean reward of the
     * other {@code groupSize − 1} completions of its prompt, an unbiased baseline since it does not depend on the
     * completion itself. Equals groupSize/(groupSize − 1) times the reward minus the group mean.
     *
     * @param sequenceRewards one reward per completion, the {@code groupSize} completions of a prompt consecutive
     * @param groupSize       completions per prompt, at least 2
     */
    public static double[] rloo(double[] sequenceRewards, int groupSize) {
        requireGroups(sequenceRewards, groupSize);
        double[] advantages = new double[sequenceRewards.length];
        for (int g = 0; g < sequenceRewards.length; g += groupSize) {
            double sum = 0;
            for (int i = g; i < g + groupSize; i++) {
                sum += sequenceRewards[i];
            }
            for (int i = g; i < g + groupSize; i++) {
                advantages[i] = sequenceRewards[i] - (sum - sequenceRewards[i]) / (groupSize - 1);
            }
        }
        return advantages;
    }

    /**
     * Spreads one advantage per sequence over its masked tokens, the per-token form the clipped surrogate takes:
     * {@code out[b·T + t] = mask[b·T + t] · sequenceAdvantages[b]}.
     */
    public static float[] perToken(double[] sequenceAdvantages, float[] mask, int B, int T) {
        Masked.requireShape(mask, B, T);
        Masked.requireBinary(mask);
        if (sequenceAdvantages.length != B) {
            throw new IllegalArgumentException("got " + sequenceAdvantages.length
                    + " sequence advantages for B = " + B + " sequences");
        }
        float[] perToken = new float[B * T];
        for (int n = 0; n < perToken.length; n++) {
            if (mask[n] != 0) {
                perToken[n] = (float) sequenceAdvantages[n / T];
            }
        }
        return perToken;
    }

    private static void requireGroups(double[] sequenceRewards, int groupSize) {
        if (groupSize < 2) {
            throw new IllegalArgumentException("group size " + groupSize
                    + ": a group-relative baseline needs at least 2 completions per prompt");
        }
        if (sequenceRewards.length % groupSize != 0) {
            throw new IllegalArgumentException(sequenceRewards.length + " rewards do not split into groups of "
                    + groupSize + "; the completions of each prompt must be consecutive and complete");
        }
    }
}
