package dev.carrot.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A policy's completions of a prompt dataset under a reward scheme, summarised: what any RL job reports before and
 * after training, whatever its scheme.
 *
 * @param n                    records evaluated
 * @param meanReward           mean reward per record
 * @param rewardStd            its standard deviation over records
 * @param components           mean of each named reward component (the scheme's breakdown)
 * @param categories           share of each outcome category; empty when the scheme grades nothing
 * @param meanCompletionTokens mean completion length in tokens
 * @param accuracy             share of correct answers, hedged or not; null unless every reward carries a category
 * @param hallucinationRate    share of wrong answers, hedged or not; null as accuracy
 * @param abstainRate          share of abstentions; null as accuracy
 */
public record RewardSummary(int n, double meanReward, double rewardStd, Map<String, Double> components,
                            Map<String, Double> categories, double meanCompletionTokens, Double accuracy,
                            Double hallucinationRate, Double abstainRate) {

    public RewardSummary {
        components = Map.copyOf(components);
        categories = Map.copyOf(categories);
    }

    /** Flat metrics under their report names: {@code mean_reward}, {@code component/NAME}, {@code category/NAME}, … */
    public Map<String, Double> toMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mean_reward", meanReward);
        m.put("reward_std", rewardStd);
        m.put("mean_completion_tokens", meanCompletionTokens);
        if (accuracy != null) {
            m.put("accuracy", accuracy);
            m.put("hallucination_rate", hallucinationRate);
            m.put("abstain_rate", abstainRate);
        }
        new java.util.TreeMap<>(components).forEach((name, value) -> m.put("component/" + name, value));
        new java.util.TreeMap<>(categories).forEach((name, value) -> m.put("category/" + name, value));
        return m;
    }
}
