package dev.carrot.trainer.job;

import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.metrics.Tally;
import java.util.Locale;
import java.util.Map;

/** The headline figures of an evaluation report as a console table, one row per tier. */
public final class Summaries {

    private Summaries() {}

    public static String table(EvalReport report) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-16s %5s %9s %13s %8s %7s %8s %8s%n",
                "tier", "n", "accuracy", "hallucination", "answer", "hedge", "abstain", "reward"));
        for (Map.Entry<String, EvalReport.Group> tier : report.byTier().entrySet()) {
            out.append(row(tier.getKey(), tier.getValue().metrics().tally()));
        }
        out.append(row("overall", report.overall().metrics().tally()));
        return out.toString();
    }

    private static String row(String name, Tally t) {
        return String.format(Locale.ROOT, "%-16s %5d %8.1f%% %12.1f%% %7.1f%% %6.1f%% %7.1f%% %8.3f%n", name, t.n(),
                100 * t.accuracy(), 100 * t.hallucinationRate(), 100 * t.answerRate(), 100 * t.hedgeRate(),
                100 * t.abstainRate(), t.meanReward());
    }
}
