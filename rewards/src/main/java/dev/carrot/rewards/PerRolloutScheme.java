package dev.carrot.rewards;

import java.util.ArrayList;
import java.util.List;

/**
 * A scheme that scores each rollout on its own, which is most of them. Implement {@link #score(Rollout)}; batches
 * are scored one rollout at a time, and a failure is charged to the rollout that caused it.
 */
public interface PerRolloutScheme extends RewardScheme {

    /** Scores one rollout. */
    Reward score(Rollout rollout);

    @Override
    default List<Reward> score(List<Rollout> rollouts) {
        List<Reward> rewards = new ArrayList<>(rollouts.size());
        for (int i = 0; i < rollouts.size(); i++) {
            try {
                rewards.add(score(rollouts.get(i)));
            } catch (RewardException e) {
                throw e.rolloutIndex().isPresent() ? e : RewardException.at(i, e.getMessage(), e);
            } catch (RuntimeException e) {
                throw RewardException.at(i, e.toString(), e);
            }
        }
        return rewards;
    }
}
