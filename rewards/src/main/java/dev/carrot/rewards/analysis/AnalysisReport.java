package dev.carrot.rewards.analysis;

import dev.carrot.rewards.schemes.Payoffs;

/** The text {@code carrot rewards analyze} prints for a {@link RewardAnalysis}. */
public final class AnalysisReport {

    private AnalysisReport() {}

    public static String render(RewardAnalysis analysis) {
        Payoffs payoffs = analysis.payoffs();
        StringBuilder out = new StringBuilder();
        out.append("Reward scheme: ").append(analysis.scheme()).append('\n');
        out.append("Payoffs: correct ").append(Numbers.format(payoffs.correct()))
                .append(", hedged_correct ").append(Numbers.format(payoffs.hedgedCorrect()))
                .append(", abstained ").append(Numbers.format(payoffs.abstained()))
                .append(", hedged_incorrect ").append(Numbers.format(payoffs.hedgedIncorrect()))
                .append(", incorrect ").append(Numbers.format(payoffs.incorrect())).append("\n\n");

        out.append("Expected reward at probability p of being right:\n");
        for (Action action : Action.values()) {
            out.append(String.format("  %-8s E(p) = %s\n", action.label(), formula(action, payoffs)));
        }

        out.append("\nOptimal policy:\n");
        for (Band band : analysis.bands()) {
            String who = band.actions().size() == 1
                    ? band.actions().iterator().next().label()
                    : RewardAnalyzer.joined(band.actions()) + " (tie)";
            out.append(String.format("  %-8s for p in %s\n", who, band.interval()));
        }

        out.append("\nThresholds:\n");
        if (analysis.thresholds().isEmpty()) {
            out.append("  none: the same action is optimal for every p\n");
        }
        for (Threshold threshold : analysis.thresholds()) {
            out.append(String.format("  p = %s: %s tie at E = %s\n", Numbers.probability(threshold.p()),
                    RewardAnalyzer.joined(threshold.tied()), Numbers.format(threshold.expectedReward())));
        }

        out.append("\nWarnings:\n");
        if (analysis.warnings().isEmpty()) {
            out.append("  none\n");
        }
        analysis.warnings().forEach(warning -> out.append("  - ").append(warning).append('\n'));

        if (!analysis.unmodeled().isEmpty()) {
            out.append("\nNot modeled, since they do not pay by grade: ")
                    .append(String.join(", ", analysis.unmodeled())).append('\n');
        }
        return out.toString();
    }

    /** "-4 + 5p", "0", "p", "-0.5 + p". */
    private static String formula(Action action, Payoffs payoffs) {
        double intercept = action.payoffIfWrong(payoffs);
        double slope = action.payoffIfRight(payoffs) - intercept;
        if (slope == 0) {
            return Numbers.format(intercept);
        }
        String term = (Math.abs(slope) == 1 ? "" : Numbers.format(Math.abs(slope))) + "p";
        if (intercept == 0) {
            return (slope < 0 ? "-" : "") + term;
        }
        return Numbers.format(intercept) + (slope < 0 ? " - " : " + ") + term;
    }
}
