package dev.carrot.rewards.schemes;

import dev.carrot.rewards.PerRolloutScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.grading.Category;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Grader;

import java.util.Objects;

/**
 * Grades each completion into a {@link Category} and pays that category's tier. {@code calibration},
 * {@code confidence-target} and {@code exact-match} are tiered schemes that differ only in their payoffs; a plugin
 * makes its own by choosing payoffs and a grader. Because the payoffs are a table, the reward analyzer can work out
 * which answering behaviour a tiered scheme makes optimal.
 */
public final class TieredScheme implements PerRolloutScheme {

    private final String name;
    private final Payoffs payoffs;
    private final Grader grader;

    public TieredScheme(String name, Payoffs payoffs, Grader grader) {
        this.name = Objects.requireNonNull(name, "name");
        this.payoffs = Objects.requireNonNull(payoffs, "payoffs");
        this.grader = Objects.requireNonNull(grader, "grader");
    }

    @Override
    public String name() {
        return name;
    }

    public Payoffs payoffs() {
        return payoffs;
    }

    public Grader grader() {
        return grader;
    }

    /** The tier of the rollout's grade; a rollout without references cannot be graded and fails. */
    @Override
    public Reward score(Rollout rollout) {
        Grade grade = grader.grade(rollout.completion(), rollout.references());
        Category category = grade.category();
        return Reward.of(name, payoffs.of(category), category);
    }
}
