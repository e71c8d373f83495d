package dev.carrot.rewards.analysis;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A maximal range of p over which the same action is optimal. Usually one action; several when they have the
 * same expected reward all over the range (the scheme cannot tell them apart there).
 */
public record Band(Interval interval, Set<Action> actions) {

    public Band {
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a band needs an optimal action");
        }
        actions = Collections.unmodifiableSet(EnumSet.copyOf(actions));
    }
}
