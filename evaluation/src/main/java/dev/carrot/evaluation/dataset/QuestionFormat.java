package dev.carrot.evaluation.dataset;

import dev.carrot.policy.PromptFormat;
import dev.carrot.rewards.grading.AnswerFormat;
import dev.carrot.rewards.grading.Style;

import java.util.stream.Stream;

/**
 * How an answer in one of the grading styles becomes a completion in the policy's {@link PromptFormat}: SFT examples
 * use it, so the policy learns to say exactly what the graders read.
 *
 * <pre>
 * completion:  " Tolmar."   or   " I think it is Tolmar, but I am not sure."   or   " I don't know."
 * </pre>
 */
public final class QuestionFormat {

    private QuestionFormat() {}

    public static String completion(Style style, String answer) {
        return PromptFormat.answer(AnswerFormat.render(style, answer));
    }

    /** The fixed text of prompts and completions. */
    public static Stream<String> templates() {
        return Stream.concat(PromptFormat.templates(), Stream.of(AnswerFormat.ABSTENTION, AnswerFormat.HEDGE_PREFIX,
                AnswerFormat.HEDGE_SUFFIX));
    }
}
