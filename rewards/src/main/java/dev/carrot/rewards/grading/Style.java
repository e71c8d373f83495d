package dev.carrot.rewards.grading;

/** How a completion commits to an answer, independent of whether the answer is right. */
public enum Style {
    /** States an answer plainly. */
    ANSWERED,
    /** States an answer with an expressed doubt ("I think it is X, but I am not sure."). */
    HEDGED,
    /** Declines to answer ("I don't know."). */
    ABSTAINED,
    /** Follows none of the formats; graded as incorrect, counted separately. */
    UNPARSEABLE
}
