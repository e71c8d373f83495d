package dev.carrot.rewards.grading;

import java.util.Objects;

/**
 * A completion read back into the answer format: how it commits, and what it states.
 *
 * @param style     how the completion commits to an answer
 * @param answer    the stated answer as written (not normalised); empty when abstained or unparseable
 * @param canonical true when the completion is exactly the {@link AnswerFormat#render rendered} form of its style
 *                  and answer on a single line, apart from surrounding whitespace and an end marker
 */
public record ParsedCompletion(Style style, String answer, boolean canonical) {

    public ParsedCompletion {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(answer, "answer");
        if (answer.isEmpty() == (style == Style.ANSWERED || style == Style.HEDGED)) {
            throw new IllegalArgumentException(style + " completion with answer '" + answer + "'");
        }
    }
}
