package dev.carrot.rewards.analysis;

import dev.carrot.rewards.schemes.Payoffs;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a tiered scheme asks of a model that knows its probability p of being right: the expected reward of each
 * action as a function of p, the optimal policy as bands of p, the thresholds between them, and the warnings a
 * designer should read. Made by {@link RewardAnalyzer}; printed by {@link AnalysisReport}; plotted by
 * {@link RewardPlot}.
 *
 * @param scheme    the analysed scheme's name
 * @param payoffs   its payoff table (for a sum, the weighted sum of its tiered terms' tables)
 * @param bands     the optimal policy, ordered by p; they cover [0, 1] except at thresholds
 * @param thresholds the probabilities where the optimal action changes, ordered
 * @param warnings  findings a designer should act on, in plain words; empty when none
 * @param unmodeled the terms of the scheme that do not pay by grade and are left out, such as shaping terms
 */
public record RewardAnalysis(String scheme, Payoffs payoffs, List<Band> bands, List<Threshold> thresholds,
                             List<String> warnings, List<String> unmodeled) {

    public RewardAnalysis {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(payoffs, "payoffs");
        bands = List.copyOf(bands);
        thresholds = List.copyOf(thresholds);
        warnings = List.copyOf(warnings);
        unmodeled = List.copyOf(unmodeled);
    }

    /** The expected reward of {@code action} for a model that is right with probability {@code p}. */
    public double expectedReward(Action action, double p) {
        return action.expectedReward(payoffs, checked(p));
    }

    /** The actions with the highest expected reward at {@code p}: one, or several at a tie. */
    public Set<Action> optimalActions(double p) {
        return RewardAnalyzer.best(payoffs, checked(p));
    }

    /**
     * The action with the highest expected reward at {@code p}; at a tie, the most cautious of the tied ones
     * (abstain before hedge before answer). To score a policy, prefer {@link #isOptimal}, which accepts any of the
     * tied actions.
     */
    public Action optimalAction(double p) {
        Set<Action> best = optimalActions(p);
        for (Action action : List.of(Action.ABSTAIN, Action.HEDGE, Action.ANSWER)) {
            if (best.contains(action)) {
                return action;
            }
        }
        throw new IllegalStateException("no optimal action at p = " + p);
    }

    /** Whether taking {@code action} at probability {@code p} of being right maximises expected reward. */
    public boolean isOptimal(Action action, double p) {
        return optimalActions(p).contains(action);
    }

    /** The actions that are the only optimal one somewhere: the rest are never strictly worth choosing. */
    public Set<Action> strictlyOptimalActions() {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        bands.stream().filter(band -> band.actions().size() == 1).forEach(band -> actions.addAll(band.actions()));
        return actions;
    }

    private static double checked(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be a probability in [0, 1], got " + p);
        }
        return p;
    }
}
