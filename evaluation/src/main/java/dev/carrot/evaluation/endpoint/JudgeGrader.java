package dev.carrot.evaluation.endpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.evaluation.ItemGrader;
import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.rewards.grading.AnswerFormat;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.ParsedCompletion;
import dev.carrot.rewards.grading.Style;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grades free-form answers with a judge model, as SimpleQA does: the judge reads the question, the gold target and
 * the answer, and replies CORRECT, INCORRECT or NOT_ATTEMPTED (A, B or C), asked through the OpenAI protocol at
 * temperature 0. A reply that says none of them is a parse failure, graded {@link Style#UNPARSEABLE} (paid as a
 * wrong answer), so the report's {@code unparseable} count is the number of verdicts that could not be read.
 *
 * <p>The judge decides whether an answer was attempted and whether it is right; the answer's own words decide
 * whether it was hedged: an attempted answer in the hedged form ("I think it is X, but I am not sure.") is graded
 * {@link Style#HEDGED}. Items are judged one at a time.
 */
public final class JudgeGrader implements ItemGrader {

    /** SimpleQA's three grades, as the judge is asked to reply. */
    enum Verdict { CORRECT, INCORRECT, NOT_ATTEMPTED }

    private static final Pattern LETTER = Pattern.compile("^[\\s\"'(*]*([ABC])\\b");

    private final OpenAiClient judge;

    public JudgeGrader(OpenAiClient judge) {
        this.judge = judge;
    }

    @Override
    public Grade grade(EvalItem item, String completion) {
        ObjectNode body = judge.body().put("temperature", 0).put("max_tokens", 16);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt(item, completion));
        String reply = judge.post("/chat/completions", body).path("choices").path(0).path("message")
                .path("content").asText("");
        ParsedCompletion parsed = AnswerFormat.parse(completion);
        String answer = parsed.answer().isEmpty() ? completion.strip() : parsed.answer();
        Style attempted = parsed.style() == Style.HEDGED ? Style.HEDGED : Style.ANSWERED;
        return verdict(reply).map(verdict -> switch (verdict) {
            case CORRECT -> new Grade(attempted, true, answer);
            case INCORRECT -> new Grade(attempted, false, answer);
            case NOT_ATTEMPTED -> new Grade(Style.ABSTAINED, false, "");
        }).orElseGet(() -> new Grade(Style.UNPARSEABLE, false, ""));
    }

    /** The judge's verdict: a leading letter A, B or C, or the grade's name alone; empty when it is neither. */
    static Optional<Verdict> verdict(String reply) {
        Matcher letter = LETTER.matcher(reply);
        if (letter.find()) {
            return Optional.of(Verdict.values()[letter.group(1).charAt(0) - 'A']);
        }
        String word = reply.strip().replaceAll("[^A-Za-z_ ]", "").strip().replace(' ', '_').toUpperCase(Locale.ROOT);
        for (Verdict verdict : Verdict.values()) {
            if (verdict.name().equals(word)) {
                return Optional.of(verdict);
            }
        }
        return Optional.empty();
    }

    /** Our wording of SimpleQA's grader prompt: the three grades with their rules, then the item. */
    static String prompt(EvalItem item, String completion) {
        String also = item.aliases().isEmpty() ? "" : " (also accepted: " + String.join("; ", item.aliases()) + ")";
        return """
                You grade an answer to a question against its gold target. Give one of three grades.

                CORRECT: the answer states the gold target's meaning in full and says nothing that contradicts it. \
                Differences of spelling, capitalisation or punctuation, a missing middle name, and additional \
                context that is true do not matter. A hedged answer is CORRECT when the answer it commits to is \
                the gold target.
                INCORRECT: the answer states something that contradicts the gold target, even when hedged, or \
                lists several candidates of which any is wrong.
                NOT_ATTEMPTED: the answer does not state the gold target and contradicts nothing: "I don't know", \
                a request for more context, or an answer that leaves out the part the question asks for.

                A number must match the gold target to the gold target's last significant figure. Judge only \
                against the gold target; do not use what you know yourself about the question.

                Question: %s
                Gold target: %s%s
                Answer: %s

                Reply with one letter and nothing else: A for CORRECT, B for INCORRECT, C for NOT_ATTEMPTED."""
                .formatted(item.question(), item.answer(), also, completion.strip());
    }
}
