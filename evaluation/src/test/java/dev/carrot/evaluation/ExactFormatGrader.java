package dev.carrot.evaluation;

import dev.carrot.rewards.grading.AnswerFormat;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Grader;
import dev.carrot.rewards.grading.Style;

import java.util.List;

/**
 * A test grader that reads the three answer formats literally and compares answers exactly. The harness is tested
 * against the {@link Grader} contract alone; the real, normalising grader lives in the rewards module.
 */
final class ExactFormatGrader implements Grader {

    @Override
    public Grade grade(String completion, List<String> references) {
        String text = completion.strip();
        if (text.equals(AnswerFormat.ABSTENTION)) {
            return new Grade(Style.ABSTAINED, false, "");
        }
        if (text.startsWith(AnswerFormat.HEDGE_PREFIX) && text.endsWith(AnswerFormat.HEDGE_SUFFIX)) {
            String answer = text.substring(AnswerFormat.HEDGE_PREFIX.length(),
                    text.length() - AnswerFormat.HEDGE_SUFFIX.length());
            return new Grade(Style.HEDGED, references.contains(answer), answer);
        }
        if (text.endsWith(".") && text.length() > 1) {
            String answer = text.substring(0, text.length() - 1);
            return new Grade(Style.ANSWERED, references.contains(answer), answer);
        }
        return new Grade(Style.UNPARSEABLE, false, "");
    }
}
