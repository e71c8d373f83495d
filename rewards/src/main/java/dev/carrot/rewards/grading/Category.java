package dev.carrot.rewards.grading;

/** The outcome classes that tiered reward schemes pay for. */
public enum Category {
    CORRECT,
    HEDGED_CORRECT,
    ABSTAINED,
    HEDGED_INCORRECT,
    INCORRECT
}
