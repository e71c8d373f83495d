package dev.carrot.evaluation.metrics;

import dev.carrot.rewards.analysis.Action;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The metrics of a group that compare its actions with the ones its reward scheme makes optimal: each with its
 * report key and meaning. All are numbers but {@link #OPTIMAL_ACTION}, whose value is an action. See
 * {@link Optimality}.
 */
public enum OptimalityMetric {
    MEASURED_P("measured_p", "The policy's measured probability of being right when it answers: C / (C + I), "
            + "the same as correct_given_attempted. Undefined (null) when the group attempted nothing.",
            Optimality::measuredP),
    OPTIMAL_ACTION("optimal_action", "The action (answer, hedge or abstain) of highest expected reward under the "
            + "reward scheme for a model right with probability measured_p; at a tie, the most cautious. Undefined "
            + "(null) with measured_p.", Optimality::optimalAction),
    OPTIMAL_ACTION_RATE("optimal_action_rate", "The share of the group's items whose action is optimal at "
            + "measured_p; where actions tie, each counts. Unparseable output counts as a plain answer, as it is "
            + "paid. Undefined (null) with measured_p.", Optimality::optimalActionRate),
    OPTIMAL_ACTION_RATE_BY_CONFIDENCE("optimal_action_rate_by_confidence", "Among the n_calibrated items (answered "
            + "or hedged, with a confidence), the share whose action is optimal at p = the item's own confidence; "
            + "ties count. Undefined (null) without such items.", Optimality::optimalActionRateByConfidence);

    private final String key;
    private final String meaning;
    private final ToDoubleFunction<Optimality> number;
    private final Function<Optimality, Optional<Action>> action;

    OptimalityMetric(String key, String meaning, ToDoubleFunction<Optimality> number) {
        this(key, meaning, number, null);
    }

    OptimalityMetric(String key, String meaning, Function<Optimality, Optional<Action>> action) {
        this(key, meaning, null, action);
    }

    OptimalityMetric(String key, String meaning, ToDoubleFunction<Optimality> number,
                     Function<Optimality, Optional<Action>> action) {
        this.key = key;
        this.meaning = meaning;
        this.number = number;
        this.action = action;
    }

    public String key() {
        return key;
    }

    public String meaning() {
        return meaning;
    }

    /** True when the value is an action ({@link #action}) rather than a number ({@link #of}). */
    public boolean isAction() {
        return action != null;
    }

    /** The value of a numeric metric; NaN where undefined. */
    public double of(Optimality optimality) {
        if (number == null) {
            throw new IllegalStateException(key + " is an action, not a number");
        }
        return number.applyAsDouble(optimality);
    }

    /** The value of an action metric; empty where undefined. */
    public Optional<Action> action(Optimality optimality) {
        if (action == null) {
            throw new IllegalStateException(key + " is a number, not an action");
        }
        return action.apply(optimality);
    }
}
