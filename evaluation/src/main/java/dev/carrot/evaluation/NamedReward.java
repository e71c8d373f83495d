package dev.carrot.evaluation;

import dev.carrot.rewards.analysis.RewardAnalysis;
import dev.carrot.rewards.analysis.RewardAnalyzer;
import dev.carrot.rewards.grading.Category;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Style;
import dev.carrot.rewards.schemes.Payoffs;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The reward scheme an evaluation reports mean rewards under, with the name the report gives it. Any function of a
 * {@link Grade} fits, so the schemes of the rewards module plug in as method references.
 */
public record NamedReward(String name, ToDoubleFunction<Grade> function) {

    public NamedReward {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(function, "function");
    }

    public double of(Grade grade) {
        return function.applyAsDouble(grade);
    }

    /**
     * The reward of a representative grade of each category. A reward that looks at more than the category (the
     * answer text, say) is summarised by what it pays a grade with no answer text.
     *
     * @throws IllegalArgumentException if the reward pays a category something other than a finite number
     */
    public Payoffs payoffs() {
        return new Payoffs(
                paid(Category.CORRECT, Style.ANSWERED, true),
                paid(Category.HEDGED_CORRECT, Style.HEDGED, true),
                paid(Category.ABSTAINED, Style.ABSTAINED, false),
                paid(Category.HEDGED_INCORRECT, Style.HEDGED, false),
                paid(Category.INCORRECT, Style.ANSWERED, false));
    }

    /** {@link #payoffs()} by category, for the report's record of the scheme. */
    public Map<Category, Double> byCategory() {
        Payoffs payoffs = payoffs();
        Map<Category, Double> table = new EnumMap<>(Category.class);
        for (Category category : Category.values()) {
            table.put(category, payoffs.of(category));
        }
        return table;
    }

    /** What the reward makes optimal for a model that is right with probability p: see {@link RewardAnalyzer}. */
    public RewardAnalysis analysis() {
        return RewardAnalyzer.analyze(name, payoffs());
    }

    private double paid(Category category, Style style, boolean correct) {
        double reward = of(new Grade(style, correct, ""));
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("reward '" + name + "' pays " + reward + " for "
                    + category.name().toLowerCase(Locale.ROOT) + ": expected a finite number");
        }
        return reward;
    }
}
