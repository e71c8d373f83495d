package dev.carrot.rewards.analysis;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A probability at which the optimal action changes: there, the actions of both neighbouring bands (and possibly
 * others) tie.
 *
 * @param p              where
 * @param tied           the actions with the highest expected reward at p
 * @param expectedReward that highest expected reward
 */
public record Threshold(double p, Set<Action> tied, double expectedReward) {

    public Threshold {
        tied = Collections.unmodifiableSet(EnumSet.copyOf(tied));
    }
}
