package dev.carrot.trainer.ppo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one PPO iteration reports, one line of {@code metrics.jsonl}. Names are stable; meanings:
 *
 * <ul>
 *   <li>{@code reward_mean}, {@code reward_std}: the reward scheme's score of the iteration's rollouts, before the
 *       KL penalty.</li>
 *   <li>{@code kl}: mean over rollouts of Σ_t KL estimate(π, π_ref) over the completion's tokens, from the
 *       log-probs recomputed before the update; {@code kl_beta}: the penalty coefficient β used.</li>
 *   <li>{@code entropy}: mean per-token entropy of the policy on the completions (first epoch).</li>
 *   <li>{@code approx_kl}: mean over minibatches of ½(log π_new − log π_old)², how far the update moved.</li>
 *   <li>{@code clipfrac}: share of action tokens whose probability ratio left [1 − ε, 1 + ε].</li>
 *   <li>{@code policy_loss}, {@code value_loss}, {@code value_clipfrac}: the clipped surrogate and clipped value
 *       losses, averaged over minibatches (value terms 0 without a critic).</li>
 *   <li>{@code explained_variance}: 1 − Var(returns − values)/Var(returns) of the critic before the update.</li>
 *   <li>{@code logprob_gap}: mean |log-prob at sampling − log-prob recomputed by the trainer| over action tokens,
 *       at temperature 1 (null otherwise): exactly 0, since rollouts and the trainer's scoring pass are
 *       batch-invariant and compute alike; anything else means the workers sampled with stale weights.</li>
 *   <li>{@code completion_tokens}: mean completion length; {@code tokens_per_s}: rollout and training tokens of
 *       the iteration over its wall time.</li>
 *   <li>{@code time_rollout_s}, {@code time_reward_s}, {@code time_update_s}: where the time went.</li>
 *   <li>{@code epochs}: epochs run before the target-KL early stop; {@code weights_version}: the version the
 *       rollouts were generated with.</li>
 *   <li>{@code rollouts_by_worker}: how many of the iteration's rollouts each rollout worker produced, by the
 *       worker's name ({@code local-1}, or a cluster worker's name).</li>
 * </ul>
 * Evaluation figures, when an iteration runs one, are added under {@code eval/…} keys.
 */
public record IterationMetrics(int iteration, Rollouts rollouts, Update update, Timing timing) {

    /** The iteration's rollouts, their rewards before the KL penalty, and their KL to the reference. */
    public record Rollouts(int count, double rewardMean, double rewardStd, double kl, double klBeta, double logprobGap,
            double completionTokens, long weightsVersion, Map<String, Double> categories,
            Map<String, Integer> byWorker) {}

    /** What the updates did, averaged over minibatches; entropy over the first epoch's. */
    public record Update(double entropy, double approxKl, double clipfrac, double policyLoss, double valueLoss,
            double valueClipfrac, double explainedVariance, int epochs) {}

    /** Where the iteration's wall time went, and its throughput. */
    public record Timing(double tokensPerSecond, double rolloutSeconds, double rewardSeconds, double updateSeconds) {}

    /** The JSON object of this line, keys in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iteration", iteration);
        m.put("rollouts", rollouts.count());
        m.put("reward_mean", rollouts.rewardMean());
        m.put("reward_std", rollouts.rewardStd());
        m.put("kl", rollouts.kl());
        m.put("kl_beta", rollouts.klBeta());
        m.put("entropy", update.entropy());
        m.put("approx_kl", update.approxKl());
        m.put("clipfrac", update.clipfrac());
        m.put("policy_loss", update.policyLoss());
        m.put("value_loss", update.valueLoss());
        m.put("value_clipfrac", update.valueClipfrac());
        m.put("explained_variance", Double.isFinite(update.explainedVariance()) ? update.explainedVariance() : null);
        m.put("logprob_gap", Double.isFinite(rollouts.logprobGap()) ? rollouts.logprobGap() : null);
        m.put("completion_tokens", rollouts.completionTokens());
        m.put("tokens_per_s", timing.tokensPerSecond());
        m.put("time_rollout_s", timing.rolloutSeconds());
        m.put("time_reward_s", timing.rewardSeconds());
        m.put("time_update_s", timing.updateSeconds());
        m.put("epochs", update.epochs());
        m.put("weights_version", rollouts.weightsVersion());
        rollouts.categories().forEach((k, v) -> m.put("share_" + k, v));
        m.put("rollouts_by_worker", rollouts.byWorker());
        return m;
    }
}
