package dev.carrot.evaluation;

import dev.carrot.rewards.grading.Grade;

/**
 * The flagship scheme written out by hand for tests: +1 correct, +0.5 hedged correct, 0 abstained, -2 hedged wrong,
 * -4 wrong. Independent of the production payoff table, so tests check the pipeline against it.
 */
public final class FlagshipReward {

    public static final NamedReward FLAGSHIP = new NamedReward("flagship", FlagshipReward::of);

    private FlagshipReward() {}

    public static double of(Grade grade) {
        return switch (grade.category()) {
            case CORRECT -> 1;
            case HEDGED_CORRECT -> 0.5;
            case ABSTAINED -> 0;
            case HEDGED_INCORRECT -> -2;
            case INCORRECT -> -4;
        };
    }
}
