package dev.carrot.evaluation.metrics;

import dev.carrot.rewards.analysis.RewardAnalysis;

import java.util.List;

/** Everything measured on one group of items (all of them, or one tier). */
public record GroupMetrics(Tally tally, Calibration calibration, Optimality optimality) {

    /** Measures {@code items}, judging their actions by what {@code analysis} (of the report's reward) makes optimal. */
    public static GroupMetrics of(List<GradedItem> items, RewardAnalysis analysis) {
        Tally tally = Tally.of(items);
        return new GroupMetrics(tally, Calibration.of(items),
                Optimality.of(items, tally.correctGivenAttempted(), analysis));
    }
}
