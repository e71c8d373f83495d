package dev.carrot.evaluation.report;

import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.metrics.Calibration;
import dev.carrot.evaluation.metrics.ConfidenceInterval;
import dev.carrot.evaluation.metrics.GradedItem;
import dev.carrot.evaluation.metrics.GroupMetrics;
import dev.carrot.evaluation.metrics.NumericMetric;
import dev.carrot.evaluation.metrics.Optimality;
import dev.carrot.evaluation.metrics.OptimalityMetric;
import dev.carrot.evaluation.metrics.OutcomeMetric;
import dev.carrot.evaluation.metrics.ReliabilityBin;
import dev.carrot.rewards.analysis.Action;
import dev.carrot.rewards.analysis.RewardAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The human-readable report's content, composed once for every {@link DocumentRenderer}. */
final class ReportDocument {

    /** A rendered plot and the file it is written to beside the report. */
    record Image(String fileName, byte[] png, String caption) {}

    /** The report's plots. */
    record Images(Image styles, Image reliability, Image riskCoverage) {}

    private ReportDocument() {}

    static String render(EvalReport report, Images images, int samples, DocumentRenderer out) {
        int n = report.items().size();
        out.heading(1, "Evaluation report");
        out.paragraph("Dataset: " + report.dataset() + " (" + n + " items). Reward scheme: " + report.reward().name()
                + ".");

        out.heading(2, "Headline");
        Bootstrap bootstrap = report.bootstrap();
        out.paragraph(percent(bootstrap.level()) + " intervals: percentile bootstrap over items, "
                + bootstrap.resamples() + " resamples, seed " + bootstrap.seed() + ".");
        List<String> header = new ArrayList<>(List.of("metric", "overall"));
        header.addAll(report.byTier().keySet());
        List<List<String>> rows = new ArrayList<>();
        for (OutcomeMetric metric : Bootstrap.HEADLINE) {
            List<String> row = new ArrayList<>(List.of(metric.key(),
                    interval(report.overall().intervals().get(metric))));
            report.byTier().values().forEach(group -> row.add(interval(group.intervals().get(metric))));
            rows.add(row);
        }
        out.table(header, rows);

        out.heading(2, "Metrics");
        out.paragraph("Every item is correct (C), incorrect (I) or not attempted (N). Hedged answers count as correct "
                + "or incorrect like plain ones; unparseable output counts as incorrect. Meanings are in the "
                + "glossary.");
        rows = new ArrayList<>();
        for (NumericMetric metric : NumericMetric.ALL) {
            rows.add(metricRow(metric.key(), report, group -> Format.metric(metric.of(group), metric.count())));
        }
        for (OptimalityMetric metric : OptimalityMetric.values()) {
            rows.add(metricRow(metric.key(), report, group -> optimality(metric, group.optimality())));
        }
        out.table(header, rows);
        out.image(images.styles().fileName(), images.styles().png(), images.styles().caption());

        out.heading(2, "Optimal actions");
        RewardAnalysis analysis = report.reward().analysis();
        out.paragraph("The optimal policy under " + report.reward().name() + ", for a model that is right with "
                + "probability p: " + policy(analysis) + ". At a threshold between bands the neighbouring actions tie, "
                + "and each tied action counts as optimal.");
        out.paragraph("measured_p is how often the policy's stated answers are right (C / (C + I)) in a group; "
                + "optimal_action_rate is the share of the group's items whose action is optimal at that p. "
                + "optimal_action_rate_by_confidence instead takes each answered or hedged item's own confidence as "
                + "its p.");
        analysis.warnings().forEach(warning -> out.paragraph("Note on the scheme: " + warning + "."));

        out.heading(2, "Calibration");
        Calibration calibration = report.overall().metrics().calibration();
        out.paragraph("Confidence is the probability the model gave its completion, exp(sequence log-probability). "
                + "Calibration is measured over the " + calibration.n() + " attempted items (answered or hedged) that "
                + "carry a confidence: an abstention states no answer whose correctness could be predicted. ECE uses "
                + Calibration.ECE_BINS + " equal-width bins and the L1 norm: ECE = sum over bins of (bin size / n) * "
                + "|accuracy - mean confidence|.");
        out.image(images.reliability().fileName(), images.reliability().png(), images.reliability().caption());
        List<List<String>> binRows = new ArrayList<>();
        for (ReliabilityBin bin : calibration.bins()) {
            binRows.add(List.of(String.format(Locale.ROOT, "%.1f to %.1f", bin.lower(), bin.upper()),
                    Integer.toString(bin.count()), Format.number(bin.meanConfidence()), Format.number(bin.accuracy())));
        }
        out.table(List.of("confidence bin", "answers", "mean confidence", "accuracy"), binRows);
        out.image(images.riskCoverage().fileName(), images.riskCoverage().png(), images.riskCoverage().caption());

        out.heading(2, "Reward scheme");
        List<List<String>> rewardRows = new ArrayList<>();
        report.reward().byCategory().forEach((category, value) ->
                rewardRows.add(List.of(ReportJson.key(category), Format.number(value))));
        out.table(List.of("category", "reward"), rewardRows);

        out.heading(2, "Samples");
        out.paragraph("The first " + Math.min(samples, n) + " items; all of them are in graded.jsonl.");
        List<List<String>> sampleRows = new ArrayList<>();
        for (GradedItem item : report.items().subList(0, Math.min(samples, n))) {
            sampleRows.add(List.of(item.item().id(), item.item().tier(), item.item().question(), item.item().answer(),
                    item.completion(), ReportJson.key(item.grade().category()), Format.number(item.reward()),
                    Format.number(item.confidence())));
        }
        out.table(List.of("id", "tier", "question", "gold", "completion", "category", "reward", "confidence"),
                sampleRows);

        out.heading(2, "Glossary");
        List<List<String>> glossary = new ArrayList<>();
        for (NumericMetric metric : NumericMetric.ALL) {
            glossary.add(List.of(metric.key(), metric.meaning()));
        }
        for (OptimalityMetric metric : OptimalityMetric.values()) {
            glossary.add(List.of(metric.key(), metric.meaning()));
        }
        out.table(List.of("metric", "meaning"), glossary);
        return out.render();
    }

    private static List<String> metricRow(String key, EvalReport report, Function<GroupMetrics, String> cell) {
        List<String> row = new ArrayList<>(List.of(key, cell.apply(report.overall().metrics())));
        report.byTier().values().forEach(group -> row.add(cell.apply(group.metrics())));
        return row;
    }

    private static String optimality(OptimalityMetric metric, Optimality optimality) {
        return metric.isAction() ? metric.action(optimality).map(Action::label).orElse(Format.UNDEFINED)
                : Format.number(metric.of(optimality));
    }

    /** "abstain for p in [0, 0.8), answer for p in (0.8, 1]". */
    private static String policy(RewardAnalysis analysis) {
        return analysis.bands().stream()
                .map(band -> band.actions().stream().map(Action::label).collect(Collectors.joining(" or "))
                        + (band.actions().size() > 1 ? " (tied)" : "") + " for p in " + band.interval())
                .collect(Collectors.joining(", "));
    }

    private static String interval(ConfidenceInterval interval) {
        return Format.number(interval.estimate()) + " (" + Format.number(interval.low()) + " to "
                + Format.number(interval.high()) + ")";
    }

    private static String percent(double level) {
        return String.format(Locale.ROOT, "%.0f%%", level * 100);
    }
}
