package dev.carrot.evaluation.metrics;

import java.util.List;

/** Everything measured on one group of items (all of them, or one tier). */
public record GroupMetrics(Tally tally, Calibration calibration) {

    public static GroupMetrics of(List<GradedItem> items) {
        return new GroupMetrics(Tally.of(items), Calibration.of(items));
    }
}
