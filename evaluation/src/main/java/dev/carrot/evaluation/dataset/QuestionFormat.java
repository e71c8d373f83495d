package dev.carrot.evaluation.dataset;

import dev.carrot.rewards.grading.AnswerFormat;
import dev.carrot.rewards.grading.Style;

import java.util.stream.Stream;

/**
 * The one place that says how a question becomes a prompt and an answer becomes a completion. SFT examples,
 * RL prompts, evaluation prompts and every answer source use it, so the model is asked in training exactly as it is
 * asked in evaluation.
 *
 * <pre>
 * prompt:      "Question: What is the capital of Varnelia?\nAnswer:"
 * completion:  " Tolmar."   or   " I think it is Tolmar, but I am not sure."   or   " I don't know."
 * </pre>
 *
 * The completion starts with the space that follows "Answer:", so a byte-level tokenizer sees " Tolmar" as it does in
 * running prose; trainers append their end-of-sequence marker after it.
 */
public final class QuestionFormat {

    private static final String QUESTION_LABEL = "Question: ";
    private static final String ANSWER_LABEL = "\nAnswer:";

    private QuestionFormat() {}

    public static String prompt(String question) {
        return QUESTION_LABEL + question + ANSWER_LABEL;
    }

    public static String completion(Style style, String answer) {
        return " " + AnswerFormat.render(style, answer);
    }

    /** The fixed text of prompts and completions. */
    public static Stream<String> templates() {
        return Stream.of(QUESTION_LABEL, ANSWER_LABEL, AnswerFormat.ABSTENTION, AnswerFormat.HEDGE_PREFIX,
                AnswerFormat.HEDGE_SUFFIX);
    }
}
