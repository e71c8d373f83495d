package dev.carrot.trainer.rl;

/**
 * PPO's loss terms (Schulman et al. 2017, in the token-level form of TRL's PPOTrainer), each with its gradient w.r.t.
 * the per-token quantity the policy's forward pass returns, so the trainer can backpropagate it through the model.
 *
 * <p>Every loss is a masked mean over the counted tokens of {@code [B·T]} arrays ({@link Masked}); gradients are 0
 * outside the mask. A mask that counts no token is an error.
 */
public final class PpoLosses {

    private PpoLosses() {
    }

    /**
     * The clipped surrogate and what to log about it.
     *
     * @param loss         the masked mean of max(−A·r, −A·clip(r, 1−ε, 1+ε))
     * @param dLogprobs    ∂loss/∂logp per token [B·T]
     * @param clipFraction the share of masked tokens whose ratio left the trust region, |r − 1| > ε
     * @param approxKl     the masked mean of ½(logp − oldLogp)², an estimate of KL(π_old ‖ π) (as TRL)
     * @param meanRatio    the masked mean of r; drifting far from 1 means the update left π_old behind
     */
    public record PolicyLoss(double loss, float[] dLogprobs, double clipFraction, double approxKl, double meanRatio) {
    }

    /**
     * PPO's clipped surrogate: L = masked mean of max(−A·r, −A·clip(r, 1−ε, 1+ε)) with r = exp(logp − oldLogp).
     *
     * <p>The gradient follows PyTorch's autograd through {@code max} and {@code clamp}: a token whose ratio is inside
     * [1−ε, 1+ε] contributes −A·r/N; outside it, a token contributes −A·r/N when the unclipped term is the larger
     * (the update would move r back towards 1) and 0 when the clipped term is (the objective no longer rewards moving
     * r further). N is the number of masked tokens.
     *
     * @param logprobs    log π(token) under the policy being updated [B·T]
     * @param oldLogprobs log π_old(token) under the policy that sampled the batch [B·T]
     * @param advantages  per-token advantages A [B·T]
     * @param clip        ε > 0
     */
    public static PolicyLoss clippedSurrogate(float[] logprobs, float[] oldLogprobs, float[] advantages, float[] mask,
            double clip) {
        Masked.requireSameLength("logprobs", logprobs, mask);
        Masked.requireSameLength("oldLogprobs", oldLogprobs, mask);
        Masked.requireSameLength("advantages", advantages, mask);
        ArgumentChecks.requirePositive("clip", clip);
        int tokens = Masked.requireTokens(mask);
        float[] dLogprobs = new float[mask.length];
        double loss = 0;
        double clipped = 0;
        double approxKl = 0;
        double ratioSum = 0;
        for (int n = 0; n < mask.length; n++) {
            if (mask[n] == 0) {
                continue;
            }
            double logRatio = (double) logprobs[n] - oldLogprobs[n];
            double ratio = Math.exp(logRatio);
            double clippedRatio = Math.max(1 - clip, Math.min(1 + clip, ratio));
            double a = advantages[n];
            double unclippedLoss = -a * ratio;
            double clippedLoss = -a * clippedRatio;
            boolean outside = Math.abs(ratio - 1) > clip;
            boolean clippedBinds = outside && clippedLoss > unclippedLoss;
            loss += Math.max(unclippedLoss, clippedLoss);
            // d(−A·r)/d logp = −A·r, since dr/dlogp = r.
            dLogprobs[n] = clippedBinds ? 0 : (float) (-a * ratio / tokens);
            clipped += outside ? 1 : 0;
            approxKl += 0.5 * logRatio * logRatio;
            ratioSum += ratio;
        }
        return new PolicyLoss(loss / tokens, dLogprobs, clipped / tokens, approxKl / tokens, ratioSum / tokens);
    }

    /**
     * The clipped value loss and its diagnostics.
     *
     * @param loss         ½·masked mean of max((v − R)², (clip(v, v_old − ε, v_old + ε) − R)²)
     * @param dValues      ∂loss/∂v per token [B·T]
     * @param clipFraction the share of masked tokens whose value moved further than ε from v_old, |v − v_old| > ε
     */
    public record ValueLoss(double loss, float[] dValues, double clipFraction) {
    }

    /**
     * PPO's clipped value loss: L = ½·masked mean of max((v − R)², (clip(v, v_old − ε, v_old + ε) − R)²), which stops
     * the critic from chasing a return further than ε from the value it predicted when the batch was sampled.
     *
     * <p>∂L/∂v is (v − R)/N where the unclipped term counts (including where the two tie) and 0 where the clipped term
     * is strictly larger, since the clipped value does not depend on v outside the band. N is the number of masked
     * tokens.
     *
     * @param values    the critic's current predictions v [B·T]
     * @param oldValues the predictions v_old when the batch was sampled [B·T]
     * @param returns   the targets R, e.g. {@link Advantages.Gae#returns()} [B·T]
     * @param clip      ε > 0
     */
    public static ValueLoss clippedValue(float[] values, float[] oldValues, float[] returns, float[] mask,
            double clip) {
        Masked.requireSameLength("values", values, mask);
        Masked.requireSameLength("oldValues", oldValues, mask);
        Masked.requireSameLength("returns", returns, mask);
        ArgumentChecks.requirePositive("clip", clip);
        int tokens = Masked.requireTokens(mask);
        float[] dValues = new float[mask.length];
        double loss = 0;
        double clipped = 0;
        for (int n = 0; n < mask.length; n++) {
            if (mask[n] == 0) {
                continue;
            }
            double v = values[n];
            double error = v - returns[n];
            double clippedError = Math.max(oldValues[n] - clip, Math.min(oldValues[n] + clip, v)) - returns[n];
            double unclippedLoss = error * error;
            double clippedLoss = clippedError * clippedError;
            loss += Math.max(unclippedLoss, clippedLoss);
            // ½·(v − R)² has derivative (v − R).
            dValues[n] = clippedLoss > unclippedLoss ? 0 : (float) (error / tokens);
            clipped += Math.abs(v - oldValues[n]) > clip ? 1 : 0;
        }
        return new ValueLoss(0.5 * loss / tokens, dValues, clipped / tokens);
    }

    /**
     * The entropy bonus as a loss term.
     *
     * @param loss        −coef · meanEntropy
     * @param meanEntropy the masked mean of the per-token entropy of π
     * @param dEntropy    ∂loss/∂entropy per token: −coef/N on masked tokens, 0 elsewhere
     */
    public record EntropyBonus(double loss, double meanEntropy, float[] dEntropy) {
    }

    /**
     * L = −coef · masked mean(entropy): minimising it keeps the policy from collapsing onto one answer too early.
     *
     * @param entropy per-token entropy of π's next-token distribution [B·T]
     * @param coef    the bonus weight ≥ 0; 0 turns the bonus off but still reports the mean entropy
     */
    public static EntropyBonus entropyBonus(float[] entropy, float[] mask, double coef) {
        ArgumentChecks.requireNonNegative("coef", coef);
        double meanEntropy = Masked.mean(entropy, mask);
        float perToken = (float) (-coef / Masked.requireTokens(mask));
        float[] dEntropy = new float[mask.length];
        for (int n = 0; n < mask.length; n++) {
            if (mask[n] != 0) {
                dEntropy[n] = perToken;
            }
        }
        return new EntropyBonus(-coef * meanEntropy, meanEntropy, dEntropy);
    }

    /**
     * The fraction of the returns' variance the critic explains over masked tokens, 1 − Var(R − v)/Var(R): 1 for a
     * perfect critic, 0 for one no better than predicting the mean, negative for a worse one. NaN when the masked
     * returns are all equal (Var(R) = 0), where the question has no answer.
     */
    public static double explainedVariance(float[] values, float[] returns, float[] mask) {
        Masked.requireSameLength("values", values, mask);
        Masked.requireSameLength("returns", returns, mask);
        double returnsDeviations = Masked.squaredDeviations(returns, mask);
        if (returnsDeviations == 0) {
            return Double.NaN;
        }
        float[] residuals = new float[mask.length];
        for (int n = 0; n < mask.length; n++) {
            residuals[n] = returns[n] - values[n];
        }
        // Both variances share the Bessel factor, which cancels in the ratio.
        return 1 - Masked.squaredDeviations(residuals, mask) / returnsDeviations;
    }
}
