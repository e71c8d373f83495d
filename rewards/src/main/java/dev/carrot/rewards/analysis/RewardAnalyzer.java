package dev.carrot.rewards.analysis;

import dev.carrot.rewards.GuardedScheme;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.WeightedSum;
import dev.carrot.rewards.schemes.Payoffs;
import dev.carrot.rewards.schemes.TieredScheme;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Works out what a tiered reward scheme makes optimal. Each action's expected reward is a line in the model's
 * probability p of being right: answer p·correct + (1−p)·incorrect, hedge p·hedged_correct +
 * (1−p)·hedged_incorrect, abstain abstained. The optimal policy is the upper envelope of the three lines; its
 * thresholds are where lines cross on it, computed as intersections rather than by sampling.
 */
public final class RewardAnalyzer {

    /** Payoffs agree when they differ by less than this, relative to the largest payoff. */
    private static final double RELATIVE_TOLERANCE = 1e-9;

    private RewardAnalyzer() {}

    /**
     * Analyses a built scheme: a {@link TieredScheme}, or a sum (possibly guarded) whose tiered terms add up to one
     * payoff table; other terms, such as shaping, are listed as unmodeled.
     *
     * @throws IllegalArgumentException if no part of the scheme pays by grade
     */
    public static RewardAnalysis analyze(RewardScheme scheme) {
        List<String> unmodeled = new ArrayList<>();
        Payoffs payoffs = tieredPart(scheme, 1.0, unmodeled);
        if (payoffs == null) {
            throw new IllegalArgumentException("reward scheme '" + scheme.name() + "' has no payoff table to analyse:"
                    + " the analyzer handles tiered schemes (calibration, confidence-target, exact-match, and plugins"
                    + " built on TieredScheme), which pay a fixed amount per graded outcome");
        }
        return analyze(scheme.name(), payoffs, unmodeled);
    }

    /** Analyses a payoff table. */
    public static RewardAnalysis analyze(String scheme, Payoffs payoffs) {
        return analyze(scheme, payoffs, List.of());
    }

    private static RewardAnalysis analyze(String scheme, Payoffs payoffs, List<String> unmodeled) {
        List<Band> bands = bands(payoffs);
        List<Threshold> thresholds = thresholds(payoffs, bands);
        RewardAnalysis partial = new RewardAnalysis(scheme, payoffs, bands, thresholds, List.of(), unmodeled);
        return new RewardAnalysis(scheme, payoffs, bands, thresholds, warnings(partial), unmodeled);
    }

    /** The actions of highest expected reward at p, ties within tolerance. */
    static Set<Action> best(Payoffs payoffs, double p) {
        double max = Double.NEGATIVE_INFINITY;
        for (Action action : Action.values()) {
            max = Math.max(max, action.expectedReward(payoffs, p));
        }
        Set<Action> best = EnumSet.noneOf(Action.class);
        for (Action action : Action.values()) {
            if (action.expectedReward(payoffs, p) >= max - tolerance(payoffs)) {
                best.add(action);
            }
        }
        return best;
    }

    private static List<Band> bands(Payoffs payoffs) {
        // Between consecutive candidate points no two lines cross, so the optimal set is constant inside.
        List<Double> points = candidatePoints(payoffs);
        List<double[]> spans = new ArrayList<>();
        List<Set<Action>> optimal = new ArrayList<>();
        for (int k = 0; k + 1 < points.size(); k++) {
            double low = points.get(k);
            double high = points.get(k + 1);
            Set<Action> best = best(payoffs, (low + high) / 2);
            int last = spans.size() - 1;
            if (last >= 0 && optimal.get(last).equals(best) && best(payoffs, low).equals(best)) {
                spans.get(last)[1] = high;
            } else {
                spans.add(new double[] {low, high});
                optimal.add(best);
            }
        }
        List<Band> bands = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            double low = spans.get(i)[0];
            double high = spans.get(i)[1];
            Set<Action> actions = optimal.get(i);
            bands.add(new Band(new Interval(low, best(payoffs, low).equals(actions),
                    high, best(payoffs, high).equals(actions)), actions));
        }
        return bands;
    }

    /** 0, 1, and every crossing of two lines strictly between, deduplicated within tolerance. */
    private static List<Double> candidatePoints(Payoffs payoffs) {
        TreeSet<Double> points = new TreeSet<>(List.of(0.0, 1.0));
        Action[] actions = Action.values();
        for (int a = 0; a < actions.length; a++) {
            for (int b = a + 1; b < actions.length; b++) {
                double interceptA = actions[a].payoffIfWrong(payoffs);
                double interceptB = actions[b].payoffIfWrong(payoffs);
                double slopeA = actions[a].payoffIfRight(payoffs) - interceptA;
                double slopeB = actions[b].payoffIfRight(payoffs) - interceptB;
                if (Math.abs(slopeA - slopeB) <= tolerance(payoffs)) {
                    continue;
                }
                double p = (interceptB - interceptA) / (slopeA - slopeB);
                if (p > 0 && p < 1) {
                    Double near = nearest(points, p);
                    if (Math.abs(near - p) > 1e-9) {
                        points.add(p);
                    }
                }
            }
        }
        return List.copyOf(points);
    }

    private static Double nearest(TreeSet<Double> points, double p) {
        Double below = points.floor(p);
        Double above = points.ceiling(p);
        if (below == null) {
            return above;
        }
        return above == null || p - below <= above - p ? below : above;
    }

    /** Band boundaries inside (0, 1), and the ends 0 and 1 when no band includes them. */
    private static List<Threshold> thresholds(Payoffs payoffs, List<Band> bands) {
        List<Threshold> thresholds = new ArrayList<>();
        for (int i = 0; i < bands.size(); i++) {
            Interval interval = bands.get(i).interval();
            if (i == 0 && !interval.lowClosed()) {
                thresholds.add(threshold(payoffs, interval.low()));
            }
            if (i < bands.size() - 1 || !interval.highClosed()) {
                thresholds.add(threshold(payoffs, interval.high()));
            }
        }
        return thresholds;
    }

    private static Threshold threshold(Payoffs payoffs, double p) {
        Set<Action> tied = best(payoffs, p);
        return new Threshold(p, tied, tied.iterator().next().expectedReward(payoffs, p));
    }

    private static List<String> warnings(RewardAnalysis analysis) {
        Payoffs payoffs = analysis.payoffs();
        List<String> warnings = new ArrayList<>();
        Set<Action> inSomeBand = EnumSet.noneOf(Action.class);
        analysis.bands().forEach(band -> inSomeBand.addAll(band.actions()));

        for (Band band : analysis.bands()) {
            if (band.actions().size() > 1) {
                warnings.add(joined(band.actions()) + " tie for p in " + band.interval()
                        + ": they pay the same there, so the scheme gives no reason to prefer one");
            }
        }
        for (Action action : Action.values()) {
            if (!inSomeBand.contains(action)) {
                warnings.add(action.gerund() + " is never strictly optimal: " + whyNeverOptimal(action, payoffs)
                        + tiesOf(action, analysis.thresholds()));
            }
        }
        if (analysis.optimalActions(1.0).contains(Action.ABSTAIN)) {
            warnings.add("abstaining is optimal even for a model that is certain to be right (p = 1):"
                    + " the scheme rewards always abstaining");
        }
        if (payoffs.correct() < payoffs.incorrect()) {
            warnings.add("a wrong answer pays more than a right one");
        }
        if (payoffs.hedgedCorrect() < payoffs.hedgedIncorrect()) {
            warnings.add("a wrong hedged answer pays more than a right one");
        }
        if (payoffs.hedgedCorrect() > payoffs.correct()) {
            warnings.add("hedging a right answer pays more than stating it plainly: the scheme rewards"
                    + " underconfidence");
        }
        if (payoffs.hedgedIncorrect() < payoffs.incorrect()) {
            warnings.add("a hedged wrong answer costs more than a confident wrong one: the scheme rewards"
                    + " overconfidence");
        }
        return warnings;
    }

    /** The most specific reason an action is nowhere the unique best. */
    private static String whyNeverOptimal(Action action, Payoffs payoffs) {
        List<Action> others = EnumSet.complementOf(EnumSet.of(action)).stream().toList();
        for (int first = 0; first < 2; first++) {
            Action upper = others.get(first);
            Action lower = others.get(1 - first);
            Double mix = mixture(action, upper, lower, payoffs);
            if (mix != null && mix > 0 && mix < 1) {
                String share = Math.abs(mix - 0.5) <= 1e-12 ? "half" : Numbers.format(mix) + "x";
                String relation = lower.payoffIfRight(payoffs) == 0 && lower.payoffIfWrong(payoffs) == 0
                        ? "its payoffs are exactly " + share + " of " + upper.gerund() + "'s"
                        : "its payoffs lie exactly " + share + " of the way from " + lower.gerund() + "'s to "
                                + upper.gerund() + "'s";
                return relation + " (right: " + Numbers.format(action.payoffIfRight(payoffs)) + " vs "
                        + Numbers.format(upper.payoffIfRight(payoffs)) + ", wrong: "
                        + Numbers.format(action.payoffIfWrong(payoffs)) + " vs "
                        + Numbers.format(upper.payoffIfWrong(payoffs)) + "), so its expected reward never exceeds"
                        + " the better of " + upper.gerund() + " and " + lower.gerund();
            }
        }
        if (action == Action.ABSTAIN && Math.max(payoffs.incorrect(), payoffs.hedgedIncorrect())
                >= payoffs.abstained() - tolerance(payoffs)) {
            return "a wrong answer pays at least as much as abstaining, so guessing never loses and the scheme"
                    + " cannot teach the model to say it does not know";
        }
        for (Action other : others) {
            if (other.payoffIfRight(payoffs) >= action.payoffIfRight(payoffs)
                    && other.payoffIfWrong(payoffs) >= action.payoffIfWrong(payoffs)) {
                return other.gerund() + " pays at least as much whether the answer is right or wrong";
            }
        }
        return "at every p another action pays at least as much";
    }

    /**
     * The weight m with {@code action} = m·upper + (1−m)·lower in both outcomes, if there is one: then the action's
     * line lies between the other two everywhere and can never be strictly above both.
     */
    private static Double mixture(Action action, Action upper, Action lower, Payoffs payoffs) {
        double tolerance = tolerance(payoffs);
        double spanRight = upper.payoffIfRight(payoffs) - lower.payoffIfRight(payoffs);
        double spanWrong = upper.payoffIfWrong(payoffs) - lower.payoffIfWrong(payoffs);
        double offsetRight = action.payoffIfRight(payoffs) - lower.payoffIfRight(payoffs);
        double offsetWrong = action.payoffIfWrong(payoffs) - lower.payoffIfWrong(payoffs);
        double mix;
        if (Math.abs(spanRight) > tolerance) {
            mix = offsetRight / spanRight;
        } else if (Math.abs(spanWrong) > tolerance) {
            mix = offsetWrong / spanWrong;
        } else {
            return null;
        }
        boolean fitsRight = Math.abs(mix * spanRight - offsetRight) <= tolerance;
        boolean fitsWrong = Math.abs(mix * spanWrong - offsetWrong) <= tolerance;
        return fitsRight && fitsWrong ? mix : null;
    }

    private static String tiesOf(Action action, List<Threshold> thresholds) {
        List<String> where = thresholds.stream()
                .filter(threshold -> threshold.tied().contains(action))
                .map(threshold -> "p = " + Numbers.format(threshold.p()))
                .toList();
        return where.isEmpty() ? "" : "; it only ties, at " + String.join(" and ", where);
    }

    /** "answer and hedge", "answer, hedge and abstain". */
    static String joined(Set<Action> actions) {
        List<String> labels = actions.stream().map(Action::label).toList();
        if (labels.size() == 1) {
            return labels.get(0);
        }
        return String.join(", ", labels.subList(0, labels.size() - 1)) + " and " + labels.get(labels.size() - 1);
    }

    private static double tolerance(Payoffs payoffs) {
        double scale = 1;
        for (Action action : Action.values()) {
            scale = Math.max(scale, Math.abs(action.payoffIfRight(payoffs)));
            scale = Math.max(scale, Math.abs(action.payoffIfWrong(payoffs)));
        }
        return RELATIVE_TOLERANCE * scale;
    }

    /** The weighted payoff table of the tiered parts of {@code scheme}, or null if it has none. */
    private static Payoffs tieredPart(RewardScheme scheme, double weight, List<String> unmodeled) {
        if (scheme instanceof GuardedScheme guarded) {
            return tieredPart(guarded.scheme(), weight, unmodeled);
        }
        if (scheme instanceof TieredScheme tiered) {
            return Payoffs.zero().plus(weight, tiered.payoffs());
        }
        if (scheme instanceof WeightedSum sum) {
            Payoffs total = null;
            for (WeightedSum.Term term : sum.terms()) {
                Payoffs part = tieredPart(term.scheme(), weight * term.weight(), unmodeled);
                if (part != null) {
                    total = (total == null ? Payoffs.zero() : total).plus(1.0, part);
                }
            }
            return total;
        }
        unmodeled.add(scheme.name() + (weight == 1.0 ? "" : " (weight " + Numbers.format(weight) + ")"));
        return null;
    }
}
