package dev.carrot.evaluation.metrics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Percentile bootstrap confidence intervals: resample the items with replacement, recompute each metric, and take
 * the (1 - level) / 2 and (1 + level) / 2 quantiles of the replicates (linear interpolation, numpy's default).
 * Every call starts from the same seed, so a group's intervals do not depend on which groups were computed before.
 *
 * @param resamples how many bootstrap replicates
 * @param level     the coverage of the interval, for example 0.95
 * @param seed      seeds the resampling
 */
public record Bootstrap(int resamples, double level, long seed) {

    /** The headline rates that reports give intervals for. */
    public static final List<OutcomeMetric> HEADLINE = List.of(OutcomeMetric.HALLUCINATION_RATE,
            OutcomeMetric.ACCURACY, OutcomeMetric.ABSTAIN_RATE, OutcomeMetric.HEDGE_RATE, OutcomeMetric.ANSWER_RATE,
            OutcomeMetric.MEAN_REWARD);

    /** 1000 resamples, 95% intervals, seed 0. */
    public static Bootstrap standard() {
        return new Bootstrap(1000, 0.95, 0);
    }

    public Bootstrap {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples: expected at least 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level: expected a value in (0, 1), got " + level);
        }
    }

    /** Intervals for {@code metrics}, which must be defined (not NaN) for any non-empty resample. */
    public Map<OutcomeMetric, ConfidenceInterval> intervals(List<GradedItem> items, List<OutcomeMetric> metrics) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] replicates = new double[metrics.size()][resamples];
        List<GradedItem> sample = new ArrayList<>(items.size());
        for (int r = 0; r < resamples; r++) {
            sample.clear();
            for (int i = 0; i < items.size(); i++) {
                sample.add(items.get(random.nextInt(items.size())));
            }
            Tally tally = Tally.of(sample);
            for (int m = 0; m < metrics.size(); m++) {
                replicates[m][r] = metrics.get(m).of(tally);
            }
        }
        Tally observed = Tally.of(items);
        Percentile quantile = new Percentile().withEstimationType(EstimationType.R_7);
        Map<OutcomeMetric, ConfidenceInterval> intervals = new EnumMap<>(OutcomeMetric.class);
        for (int m = 0; m < metrics.size(); m++) {
            quantile.setData(replicates[m]);
            intervals.put(metrics.get(m), new ConfidenceInterval(metrics.get(m).of(observed),
                    quantile.evaluate(50 * (1 - level)), quantile.evaluate(50 * (1 + level))));
        }
        return intervals;
    }
}
