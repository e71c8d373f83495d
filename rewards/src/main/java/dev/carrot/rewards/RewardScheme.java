package dev.carrot.rewards;

import java.util.List;

/**
 * Scores finished rollouts. This is the whole contract between Carrot and an incentive structure: a scheme sees
 * rollouts and returns rewards, and knows nothing of the policy or the trainer.
 *
 * <p>Schemes are called from rollout workers and the trainer, possibly from several threads at once, so
 * implementations must be thread-safe; the built-in ones are immutable.
 *
 * <p>A scheme may throw or return a non-finite value. Carrot never feeds such a reward to training: the job's
 * {@link dev.carrot.rewards.config.FailurePolicy failure policy} either stops the run, naming the rollout, or
 * replaces that reward with a penalty and counts it. Throw {@link RewardException#at} to name the rollout at fault;
 * any other exception is charged to the whole batch. {@link PerRolloutScheme} does this for you.
 */
public interface RewardScheme {

    /** The name the scheme goes by in job configs, error messages and reward breakdowns. */
    String name();

    /**
     * Scores a batch.
     *
     * @return one reward per rollout, in the same order
     */
    List<Reward> score(List<Rollout> rollouts);
}
