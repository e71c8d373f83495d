package dev.carrot.rewards.grading;

import java.util.Objects;

/**
 * The grade of one completion.
 *
 * @param style   how the completion commits to an answer
 * @param correct whether the stated answer matches a reference; always false when abstained or unparseable
 * @param answer  the extracted answer text, or the empty string when none was stated
 */
public record Grade(Style style, boolean correct, String answer) {

    public Grade {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(answer, "answer");
        if (correct && (style == Style.ABSTAINED || style == Style.UNPARSEABLE)) {
            throw new IllegalArgumentException("a " + style + " completion cannot be correct");
        }
    }

    /** True when the completion states an answer, plainly or hedged (SimpleQA's "attempted"). */
    public boolean attempted() {
        return style == Style.ANSWERED || style == Style.HEDGED;
    }

    /** The payoff class; unparseable output is paid as a confident wrong answer. */
    public Category category() {
        return switch (style) {
            case ANSWERED -> correct ? Category.CORRECT : Category.INCORRECT;
            case HEDGED -> correct ? Category.HEDGED_CORRECT : Category.HEDGED_INCORRECT;
            case ABSTAINED -> Category.ABSTAINED;
            case UNPARSEABLE -> Category.INCORRECT;
        };
    }
}
