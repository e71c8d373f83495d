package dev.carrot.evaluation.metrics;

import dev.carrot.rewards.analysis.Action;
import dev.carrot.rewards.analysis.RewardAnalysis;
import dev.carrot.rewards.grading.Grade;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How often a group's actions are the ones the reward scheme makes optimal. A model that is right with probability
 * p earns the most, in expectation, by the action the {@link RewardAnalysis} names for p; the group's p is measured
 * as how often its stated answers are right, C / (C + I). Each item's action is the one it is paid as: a plain
 * answer, a hedge, or an abstention, with unparseable output counted as a plain answer (the grading contract pays it
 * as a confident wrong one). Where actions tie at p, each of them counts as optimal.
 *
 * @param measuredP                     C / (C + I); NaN when the group attempted nothing, so p is unmeasured
 * @param optimalAction                 the action of highest expected reward at {@code measuredP}, the most cautious
 *                                      of the tied ones at a tie; empty when p is unmeasured
 * @param optimalActionRate             the share of the group's items whose action is optimal at {@code measuredP};
 *                                      NaN when p is unmeasured
 * @param optimalActionRateByConfidence over the attempted items (answered or hedged) that carry a confidence, the
 *                                      share whose action is optimal at p = their own confidence; NaN for none.
 *                                      Abstentions state no answer whose probability of being right could be read.
 */
public record Optimality(double measuredP, Optional<Action> optimalAction, double optimalActionRate,
                         double optimalActionRateByConfidence) {

    public Optimality {
        Objects.requireNonNull(optimalAction, "optimalAction");
    }

    /**
     * Compares the actions of {@code items} with the optimal ones under {@code analysis}.
     *
     * @param measuredP the group's probability of being right when it answers, C / (C + I); NaN when unmeasured
     */
    public static Optimality of(List<GradedItem> items, double measuredP, RewardAnalysis analysis) {
        Optional<Action> optimal = Double.isNaN(measuredP) ? Optional.empty()
                : Optional.of(analysis.optimalAction(measuredP));
        double rate = optimal.isEmpty() ? Double.NaN
                : share(items.stream().filter(item -> analysis.isOptimal(paidAs(item.grade()), measuredP)).count(),
                        items.size());
        List<GradedItem> confident = items.stream().filter(GradedItem::calibratable).toList();
        long optimalAtConfidence = confident.stream()
                .filter(item -> analysis.isOptimal(paidAs(item.grade()), item.confidence())).count();
        return new Optimality(measuredP, optimal, rate, share(optimalAtConfidence, confident.size()));
    }

    /** The action a grade is paid as: unparseable output, paid as a confident wrong answer, is a plain answer. */
    static Action paidAs(Grade grade) {
        return switch (grade.category()) {
            case CORRECT, INCORRECT -> Action.ANSWER;
            case HEDGED_CORRECT, HEDGED_INCORRECT -> Action.HEDGE;
            case ABSTAINED -> Action.ABSTAIN;
        };
    }

    private static double share(long count, int of) {
        return of == 0 ? Double.NaN : (double) count / of;
    }
}
