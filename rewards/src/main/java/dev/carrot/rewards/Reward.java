package dev.carrot.rewards;

import dev.carrot.rewards.grading.Category;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reward for one rollout, with the breakdown that explains it.
 *
 * @param value      what training receives
 * @param components named contributions, in order; the built-in schemes make them sum to {@code value}
 *                   (a weighted sum lists each term's contribution already multiplied by its weight)
 * @param category   the graded outcome class, or null when the scheme does not grade
 */
public record Reward(double value, Map<String, Double> components, Category category) {

    public Reward {
        components.forEach((name, contribution) -> {
            Objects.requireNonNull(name, "component name");
            Objects.requireNonNull(contribution, () -> "component " + name);
        });
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    /** A reward that is a single component named {@code component}. */
    public static Reward of(String component, double value, Category category) {
        return new Reward(value, Map.of(component, value), category);
    }

    /** True when the value and every component are finite numbers, the only rewards fit for training. */
    public boolean isFinite() {
        return Double.isFinite(value) && components.values().stream().allMatch(Double::isFinite);
    }
}
