package dev.carrot.evaluation.metrics;

import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.rewards.grading.Grade;

/**
 * One evaluated item: what was asked, what came back, how it was graded and paid.
 *
 * @param confidence   the probability the model gave its completion, exp(sequence log-probability); NaN when the
 *                     answer source reports none
 * @param reward       the reward scheme's payoff for {@code grade}
 * @param oracleReward the payoff of the oracle that answers plainly exactly where this completion was correct and
 *                     abstains everywhere else
 */
public record GradedItem(EvalItem item, String completion, double confidence, Grade grade, double reward,
                         double oracleReward) {

    public GradedItem {
        if (!Double.isNaN(confidence) && (confidence < 0 || confidence > 1)) {
            throw new IllegalArgumentException("confidence: expected a probability in [0, 1] or NaN, got "
                    + confidence);
        }
    }

    /** True when the completion states an answer (plainly or hedged) and carries a confidence to calibrate. */
    boolean calibratable() {
        return grade.attempted() && !Double.isNaN(confidence);
    }
}
