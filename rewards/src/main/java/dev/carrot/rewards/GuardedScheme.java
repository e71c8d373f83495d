package dev.carrot.rewards;

import dev.carrot.rewards.config.FailurePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheme behind its failure policy: what the trainer calls. Every reward it returns is finite. When the scheme
 * throws, returns too few rewards, or returns NaN or an infinity, the policy decides:
 * {@link FailurePolicy.Fail} throws a {@link RewardFailureException} that shows the rollout at fault;
 * {@link FailurePolicy.Penalty} pays its value for that rollout (breakdown {@code failure_penalty}, no category),
 * logs it, counts it in {@link #failures()}, and scores the rest of the batch again without it.
 *
 * <p>A failure is charged to one rollout when the scheme says which ({@link RewardException#at}, as
 * {@link PerRolloutScheme}s do) or when one reward is not finite; otherwise to every rollout of the batch.
 */
public final class GuardedScheme implements RewardScheme {

    /** The breakdown of a reward paid by the penalty policy instead of the scheme. */
    public static final String FAILURE_COMPONENT = "failure_penalty";

    private static final System.Logger LOG = System.getLogger(GuardedScheme.class.getName());

    private final RewardScheme scheme;
    private final FailurePolicy policy;
    private final AtomicLong failures = new AtomicLong();

    public GuardedScheme(RewardScheme scheme, FailurePolicy policy) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The scheme being guarded. */
    public RewardScheme scheme() {
        return scheme;
    }

    public FailurePolicy policy() {
        return policy;
    }

    /** How many rollouts were paid the penalty so far. */
    public long failures() {
        return failures.get();
    }

    @Override
    public String name() {
        return scheme.name();
    }

    @Override
    public List<Reward> score(List<Rollout> rollouts) {
        Reward[] rewards = new Reward[rollouts.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < rollouts.size(); i++) {
            pending.add(i);
        }
        // Score what is pending; a failure charged to one rollout takes it out, and the rest are scored again.
        while (!pending.isEmpty()) {
            List<Rollout> batch = pending.stream().map(rollouts::get).toList();
            List<Reward> scored;
            try {
                scored = scheme.score(batch);
                if (scored == null || scored.size() != batch.size()) {
                    throw new RewardException("returned " + (scored == null ? "null" : scored.size() + " rewards")
                            + " for " + batch.size() + " rollouts");
                }
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                OptionalInt culprit =
                        e instanceof RewardException failure ? failure.rolloutIndex() : OptionalInt.empty();
                if (culprit.isPresent() && culprit.getAsInt() < batch.size()) {
                    int i = pending.remove(culprit.getAsInt());
                    rewards[i] = failed(rollouts, i, describe(e), e);
                    continue;
                }
                if (policy instanceof FailurePolicy.Fail) {
                    throw RewardFailureException.ofBatch(scheme.name(), batch, describe(e), e);
                }
                for (int i : pending) {
                    rewards[i] = failed(rollouts, i, "the batch failed: " + describe(e), e);
                }
                break;
            }
            for (int j = 0; j < batch.size(); j++) {
                Reward reward = scored.get(j);
                int i = pending.get(j);
                if (reward == null) {
                    rewards[i] = failed(rollouts, i, "returned no reward", null);
                } else if (!reward.isFinite()) {
                    rewards[i] = failed(rollouts, i, "returned a non-finite reward " + reward.value()
                            + " " + reward.components(), null);
                } else {
                    rewards[i] = reward;
                }
            }
            break;
        }
        return List.of(rewards);
    }

    private Reward failed(List<Rollout> rollouts, int index, String reason, Throwable cause) {
        if (policy instanceof FailurePolicy.Penalty penalty) {
            long count = failures.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, () -> "reward scheme '" + scheme.name() + "' failed on rollout "
                    + index + " of a batch of " + rollouts.size() + ": " + reason + "; paid the penalty "
                    + penalty.value() + " (" + count + " so far)");
            return Reward.of(FAILURE_COMPONENT, penalty.value(), null);
        }
        throw RewardFailureException.ofRollout(scheme.name(), rollouts, index, reason, cause);
    }

    private static String describe(RuntimeException e) {
        return e instanceof RewardException ? e.getMessage() : e.toString();
    }
}
