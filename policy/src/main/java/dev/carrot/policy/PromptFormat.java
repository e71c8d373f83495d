package dev.carrot.policy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The policy's prompt format: the one place that says how a question becomes a prompt and an answer becomes the
 * text that follows it. Training data, RL prompts, evaluation and serving all use it, so the model is asked in
 * training exactly as it is asked everywhere else.
 *
 * <pre>
 * prompt:      "Question: What is the capital of Varnelia?\nAnswer:"
 * answer:      " Tolmar."
 * </pre>
 *
 * An answer starts with the space that follows "Answer:", so a byte-level tokenizer sees " Tolmar" as it does in
 * running prose, and ends at the end of its line; trainers append their end-of-sequence marker after it. A
 * conversation is its earlier exchanges, each a question and its answer on their own lines, followed by the open
 * question's prompt.
 */
public final class PromptFormat {

    private static final String QUESTION_LABEL = "Question: ";
    private static final String ANSWER_LABEL = "\nAnswer:";
    private static final String ANSWER_SEPARATOR = " ";
    private static final String EXCHANGE_SEPARATOR = "\n";

    /** The answers of this format are one line: generation stops at this string. */
    public static final String ANSWER_END = "\n";

    /** A question asked earlier in a conversation, and the answer it got. */
    public record Exchange(String question, String answer) {
        public Exchange {
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(answer, "answer");
        }
    }

    private PromptFormat() {}

    /** The prompt that asks {@code question}. */
    public static String prompt(String question) {
        return QUESTION_LABEL + question + ANSWER_LABEL;
    }

    /** The prompt that asks {@code question} after the {@code earlier} exchanges, oldest first. */
    public static String prompt(List<Exchange> earlier, String question) {
        StringBuilder text = new StringBuilder();
        for (Exchange exchange : earlier) {
            text.append(prompt(exchange.question())).append(answer(exchange.answer().strip()))
                    .append(EXCHANGE_SEPARATOR);
        }
        return text.append(prompt(question)).toString();
    }

    /** The text that follows a prompt to answer it with {@code answer}. */
    public static String answer(String answer) {
        return ANSWER_SEPARATOR + answer;
    }

    /** The answer in {@code completion}, the text generated after a prompt: without the separator it starts with. */
    public static String answerOf(String completion) {
        return completion.startsWith(ANSWER_SEPARATOR) ? completion.substring(ANSWER_SEPARATOR.length()) : completion;
    }

    /** The fixed text of prompts. */
    public static Stream<String> templates() {
        return Stream.of(QUESTION_LABEL, ANSWER_LABEL);
    }
}
