package dev.carrot.examples.rewards;

import dev.carrot.rewards.grading.AnswerFormat;
import dev.carrot.rewards.grading.ExactMatchGrader;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Grader;
import dev.carrot.rewards.grading.ParsedCompletion;

import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Grades a numeric answer as right when it is within a relative tolerance of a numeric reference ("3.1416" for
 * "3.14159" at 1%), and any other answer by Carrot's exact match. It reads the answer format with
 * {@link AnswerFormat#parse}, so plain, hedged and abstaining completions mean what they mean everywhere else.
 */
public final class NumericToleranceGrader implements Grader {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");

    private final double tolerance;
    private final Grader exactMatch = new ExactMatchGrader();

    /** @param tolerance the largest accepted |answer − reference| / |reference|; a reference of 0 needs exactly 0 */
    public NumericToleranceGrader(double tolerance) {
        this.tolerance = tolerance;
    }

    @Override
    public Grade grade(String completion, List<String> references) {
        ParsedCompletion parsed = AnswerFormat.parse(completion);
        OptionalDouble stated = number(parsed.answer());
        if (stated.isPresent()) {
            for (String reference : references) {
                OptionalDouble gold = number(reference);
                if (gold.isPresent() && close(stated.getAsDouble(), gold.getAsDouble())) {
                    return new Grade(parsed.style(), true, parsed.answer());
                }
            }
        }
        return exactMatch.grade(completion, references);
    }

    private boolean close(double stated, double gold) {
        return Math.abs(stated - gold) <= tolerance * Math.abs(gold);
    }

    /** The number a text is, ignoring thousands separators ("1,000"); empty when it is anything else. */
    static OptionalDouble number(String text) {
        String bare = text.replace(",", "").replace("_", "").strip();
        return NUMBER.matcher(bare).matches() ? OptionalDouble.of(Double.parseDouble(bare)) : OptionalDouble.empty();
    }
}
