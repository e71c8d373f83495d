package dev.carrot.rewards;

import dev.carrot.rewards.grading.Category;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The weighted sum of several schemes: composition, and the way shaping terms join a main scheme. Every term scores
 * the whole batch; a rollout's reward is the sum of weight × term reward, its breakdown lists every term's
 * components multiplied by the term's weight, and its category is that of the first term that grades.
 */
public final class WeightedSum implements RewardScheme {

    /** One term of the sum. */
    public record Term(double weight, RewardScheme scheme) {
        public Term {
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight must be a finite number, got " + weight);
            }
            Objects.requireNonNull(scheme, "scheme");
        }
    }

    private final List<Term> terms;

    public WeightedSum(List<Term> terms) {
        this.terms = List.copyOf(terms);
        if (this.terms.isEmpty()) {
            throw new IllegalArgumentException("a sum needs at least one term");
        }
    }

    public List<Term> terms() {
        return terms;
    }

    /** For example {@code calibration + 0.1*format}; a nested sum is parenthesised. */
    @Override
    public String name() {
        return terms.stream().map(WeightedSum::describe).collect(Collectors.joining(" + "));
    }

    private static String describe(Term term) {
        String name = term.scheme() instanceof WeightedSum ? "(" + term.scheme().name() + ")" : term.scheme().name();
        return term.weight() == 1.0 ? name : term.weight() + "*" + name;
    }

    @Override
    public List<Reward> score(List<Rollout> rollouts) {
        int n = rollouts.size();
        double[] values = new double[n];
        List<Map<String, Double>> components = new ArrayList<>(n);
        Category[] categories = new Category[n];
        for (int i = 0; i < n; i++) {
            components.add(new LinkedHashMap<>());
        }
        for (Term term : terms) {
            List<Reward> rewards = term.scheme().score(rollouts);
            if (rewards.size() != n) {
                throw new RewardException("term " + term.scheme().name() + " returned " + rewards.size()
                        + " rewards for " + n + " rollouts");
            }
            for (int i = 0; i < n; i++) {
                Reward reward = rewards.get(i);
                if (reward == null) {
                    throw RewardException.at(i, "term " + term.scheme().name() + " returned no reward", null);
                }
                values[i] += term.weight() * reward.value();
                Map<String, Double> breakdown = components.get(i);
                reward.components().forEach(
                        (name, value) -> breakdown.put(unique(breakdown, name), term.weight() * value));
                if (categories[i] == null) {
                    categories[i] = reward.category();
                }
            }
        }
        List<Reward> sums = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sums.add(new Reward(values[i], components.get(i), categories[i]));
        }
        return sums;
    }

    /** {@code name}, or {@code name#2}, {@code name#3}... when terms share a component name. */
    private static String unique(Map<String, Double> breakdown, String name) {
        String key = name;
        for (int copy = 2; breakdown.containsKey(key); copy++) {
            key = name + "#" + copy;
        }
        return key;
    }
}
