package dev.carrot.evaluation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.io.Json;
import dev.carrot.evaluation.metrics.Calibration;
import dev.carrot.evaluation.metrics.ConfidenceInterval;
import dev.carrot.evaluation.metrics.GradedItem;
import dev.carrot.evaluation.metrics.GroupMetrics;
import dev.carrot.evaluation.metrics.NumericMetric;
import dev.carrot.evaluation.metrics.OptimalityMetric;
import dev.carrot.evaluation.metrics.OutcomeMetric;
import dev.carrot.evaluation.metrics.ReliabilityBin;
import dev.carrot.evaluation.metrics.RiskCoveragePoint;
import dev.carrot.rewards.analysis.Action;
import dev.carrot.rewards.analysis.Band;
import dev.carrot.rewards.analysis.RewardAnalysis;
import dev.carrot.rewards.grading.Category;
import java.util.Locale;
import java.util.Map;

/**
 * The machine-readable report. Keys are snake_case; a value that is undefined for the data (AUROC without both
 * correct and incorrect answers, for example) is {@code null}.
 *
 * <pre>
 * {"dataset", "n", "reward": {"name", "by_category", "optimal_policy": [{"actions", "p", "low", "low_closed", "high",
 *                                                                     "high_closed"}, ...]},
 *  "metrics": {"overall": {...}, "by_tier": {"well_known": {...}, ...}},
 *  "calibration": {"confidence", "population", "ece_bins", "ece_norm", "reliability": [...], "risk_coverage": [...]},
 *  "confidence_intervals": {"method", "resamples", "level", "seed", "overall": {...}, "by_tier": {...}},
 *  "samples": [...]}
 * </pre>
 */
final class ReportJson {

    private static final ObjectMapper JSON = Json.MAPPER;

    private ReportJson() {}

    static ObjectNode build(EvalReport report, int samples) {
        ObjectNode root = JSON.createObjectNode();
        root.put("dataset", report.dataset());
        root.put("n", report.items().size());

        ObjectNode reward = root.putObject("reward");
        reward.put("name", report.reward().name());
        ObjectNode byCategory = reward.putObject("by_category");
        report.reward().byCategory().forEach((category, value) -> number(byCategory, key(category), value));
        reward.set("optimal_policy", optimalPolicy(report.reward().analysis()));

        ObjectNode metrics = root.putObject("metrics");
        metrics.set("overall", metrics(report.overall().metrics()));
        ObjectNode metricsByTier = metrics.putObject("by_tier");
        report.byTier().forEach((tier, group) -> metricsByTier.set(tier, metrics(group.metrics())));

        root.set("calibration", calibration(report.overall().metrics().calibration()));

        ObjectNode intervals = root.putObject("confidence_intervals");
        intervals.put("method", "percentile bootstrap over items");
        intervals.put("resamples", report.bootstrap().resamples());
        intervals.put("level", report.bootstrap().level());
        intervals.put("seed", report.bootstrap().seed());
        intervals.set("overall", intervals(report.overall().intervals()));
        ObjectNode intervalsByTier = intervals.putObject("by_tier");
        report.byTier().forEach((tier, group) -> intervalsByTier.set(tier, intervals(group.intervals())));

        ArrayNode sampleRows = root.putArray("samples");
        report.items().stream().limit(samples).forEach(item -> sampleRows.add(item(item)));
        return root;
    }

    /** One graded item: the question, the gold answer, the completion and how it was graded and paid. */
    static ObjectNode item(GradedItem graded) {
        ObjectNode row = JSON.createObjectNode();
        row.put("id", graded.item().id());
        row.put("tier", graded.item().tier());
        row.put("question", graded.item().question());
        row.put("gold", graded.item().answer());
        ArrayNode aliases = row.putArray("aliases");
        graded.item().aliases().forEach(aliases::add);
        row.put("completion", graded.completion());
        row.put("style", graded.grade().style().name().toLowerCase(Locale.ROOT));
        row.put("extracted_answer", graded.grade().answer());
        row.put("correct", graded.grade().correct());
        row.put("category", key(graded.grade().category()));
        number(row, "reward", graded.reward());
        number(row, "confidence", graded.confidence());
        return row;
    }

    private static ObjectNode metrics(GroupMetrics group) {
        ObjectNode node = JSON.createObjectNode();
        for (NumericMetric metric : NumericMetric.ALL) {
            value(node, metric.key(), metric.of(group), metric.count());
        }
        for (OptimalityMetric metric : OptimalityMetric.values()) {
            if (metric.isAction()) {
                node.put(metric.key(), metric.action(group.optimality()).map(Action::label).orElse(null));
            } else {
                number(node, metric.key(), metric.of(group.optimality()));
            }
        }
        return node;
    }

    /** The bands of p over which each action is optimal, in order; a band holds several actions where they tie. */
    private static ArrayNode optimalPolicy(RewardAnalysis analysis) {
        ArrayNode policy = JSON.createArrayNode();
        for (Band band : analysis.bands()) {
            ObjectNode row = policy.addObject();
            ArrayNode actions = row.putArray("actions");
            band.actions().forEach(action -> actions.add(action.label()));
            var interval = band.interval(); // the band of p, rewards.analysis.Interval
            row.put("p", interval.toString());
            row.put("low", interval.low());
            row.put("low_closed", interval.lowClosed());
            row.put("high", interval.high());
            row.put("high_closed", interval.highClosed());
        }
        return policy;
    }

    private static ObjectNode calibration(Calibration calibration) {
        ObjectNode node = JSON.createObjectNode();
        node.put("confidence", "exp(sequence log-probability of the completion)");
        node.put("population", "attempted items (answered or hedged) that carry a confidence");
        node.put("n", calibration.n());
        node.put("ece_bins", Calibration.ECE_BINS);
        node.put("ece_binning", "equal width");
        node.put("ece_norm", "L1");
        ArrayNode bins = node.putArray("reliability");
        for (ReliabilityBin bin : calibration.bins()) {
            ObjectNode row = bins.addObject();
            row.put("lower", bin.lower());
            row.put("upper", bin.upper());
            row.put("count", bin.count());
            number(row, "mean_confidence", bin.meanConfidence());
            number(row, "accuracy", bin.accuracy());
        }
        ArrayNode curve = node.putArray("risk_coverage");
        for (RiskCoveragePoint point : calibration.riskCoverage()) {
            curve.addObject().put("coverage", point.coverage()).put("risk", point.risk());
        }
        return node;
    }

    private static ObjectNode intervals(Map<OutcomeMetric, ConfidenceInterval> intervals) {
        ObjectNode node = JSON.createObjectNode();
        for (OutcomeMetric metric : OutcomeMetric.values()) {
            ConfidenceInterval interval = intervals.get(metric);
            if (interval != null) {
                ObjectNode bounds = node.putObject(metric.key());
                number(bounds, "estimate", interval.estimate());
                number(bounds, "low", interval.low());
                number(bounds, "high", interval.high());
            }
        }
        return node;
    }

    private static void value(ObjectNode node, String key, double value, boolean count) {
        if (count && Double.isFinite(value)) {
            node.put(key, Math.round(value));
        } else {
            number(node, key, value);
        }
    }

    /** JSON has no NaN or infinity: an undefined value is null. */
    private static void number(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    static String key(Category category) {
        return category.name().toLowerCase(Locale.ROOT);
    }
}
