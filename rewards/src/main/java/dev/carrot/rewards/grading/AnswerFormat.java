package dev.carrot.rewards.grading;

/**
 * The surface forms of the three answer styles. The calibration world writes its SFT answers with
 * {@link #render}, and the grader reads completions back with the same phrases, so the two never drift apart.
 */
public final class AnswerFormat {

    /** Said instead of an answer. */
    public static final String ABSTENTION = "I don't know.";
    /** Opens a hedged answer; the answer follows. */
    public static final String HEDGE_PREFIX = "I think it is ";
    /** Closes a hedged answer. */
    public static final String HEDGE_SUFFIX = ", but I am not sure.";

    private AnswerFormat() {}

    /** The completion text (without end-of-sequence marker) that states {@code answer} in {@code style}. */
    public static String render(Style style, String answer) {
        return switch (style) {
            case ANSWERED -> answer + ".";
            case HEDGED -> HEDGE_PREFIX + answer + HEDGE_SUFFIX;
            case ABSTAINED -> ABSTENTION;
            case UNPARSEABLE -> throw new IllegalArgumentException("no format renders UNPARSEABLE");
        };
    }
}
