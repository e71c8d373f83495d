package dev.carrot.evaluation.metrics;

import java.util.List;
import java.util.stream.Stream;

/** A number measured on a group of items, with its snake_case report key and meaning. */
public interface NumericMetric {

    /** Every numeric metric, in report order: the outcome metrics, then the calibration metrics. */
    List<NumericMetric> ALL = Stream.<NumericMetric>concat(Stream.of(OutcomeMetric.values()),
            Stream.of(CalibrationMetric.values())).toList();

    String key();

    /** True for counts (written as integers), false for rates and means. */
    boolean count();

    String meaning();

    double of(GroupMetrics group);
}
