package dev.carrot.evaluation;

import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.metrics.ConfidenceInterval;
import dev.carrot.evaluation.metrics.GradedItem;
import dev.carrot.evaluation.metrics.GroupMetrics;
import dev.carrot.evaluation.metrics.OutcomeMetric;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of an evaluation: metrics over all items and per tier, their confidence intervals, and every graded
 * item. {@link dev.carrot.evaluation.report.ReportWriter} turns it into files.
 *
 * @param dataset   the dataset's name
 * @param reward    the scheme rewards are reported under
 * @param overall   all items
 * @param byTier    each tier's items, tiers in the order they first appear in the dataset
 * @param bootstrap how the intervals were computed
 * @param items     every graded item, in dataset order
 */
public record EvalReport(String dataset, NamedReward reward, Group overall, Map<String, Group> byTier,
                         Bootstrap bootstrap, List<GradedItem> items) {

    /** The metrics of a group and intervals for its {@link Bootstrap#HEADLINE} rates. */
    public record Group(GroupMetrics metrics, Map<OutcomeMetric, ConfidenceInterval> intervals) {
        public Group {
            intervals = Map.copyOf(intervals);
        }
    }

    public EvalReport {
        byTier = Collections.unmodifiableMap(new LinkedHashMap<>(byTier));
        items = List.copyOf(items);
    }
}
