package dev.carrot.evaluation;

import dev.carrot.rewards.grading.Category;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Style;

import java.util.EnumMap;
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

    /** The reward of a representative grade of each category, for the report's record of the scheme. */
    public Map<Category, Double> byCategory() {
        Map<Category, Double> table = new EnumMap<>(Category.class);
        table.put(Category.CORRECT, of(new Grade(Style.ANSWERED, true, "")));
        table.put(Category.HEDGED_CORRECT, of(new Grade(Style.HEDGED, true, "")));
        table.put(Category.ABSTAINED, of(new Grade(Style.ABSTAINED, false, "")));
        table.put(Category.HEDGED_INCORRECT, of(new Grade(Style.HEDGED, false, "")));
        table.put(Category.INCORRECT, of(new Grade(Style.ANSWERED, false, "")));
        return table;
    }
}
