package dev.carrot.rewards.grading;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A confidence the completion states about its own answer, written "Confidence: 0.8" or "Confidence: 80%"
 * anywhere in the completion (case-insensitive, colon optional). Scoring rules such as Brier and log score pay for
 * it.
 *
 * @param confidence the stated probability of being right, in [0, 1]; numbers above 1 are read as percentages
 *                   ("Confidence: 80" is 0.8) and anything beyond 100% is taken as certainty
 * @param remainder  the completion with the statement cut out, which is what gets graded
 */
public record ConfidenceStatement(double confidence, String remainder) {

    private static final Pattern STATEMENT = Pattern.compile(
            "\\bconfidence\\s*[:=]?\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(%?)", Pattern.CASE_INSENSITIVE);

    public ConfidenceStatement {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
        }
    }

    /** The first confidence statement in {@code completion}, if it makes one. */
    public static Optional<ConfidenceStatement> find(String completion) {
        Matcher statement = STATEMENT.matcher(completion);
        if (!statement.find()) {
            return Optional.empty();
        }
        double number = Double.parseDouble(statement.group(1));
        boolean percent = !statement.group(2).isEmpty() || number > 1;
        double confidence = Math.min(1, percent ? number / 100 : number);
        String remainder = completion.substring(0, statement.start()) + completion.substring(statement.end());
        return Optional.of(new ConfidenceStatement(confidence, remainder));
    }
}
