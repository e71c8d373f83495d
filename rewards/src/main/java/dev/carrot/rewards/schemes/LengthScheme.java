package dev.carrot.rewards.schemes;

import dev.carrot.rewards.PerRolloutScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.Rollout;

/**
 * A shaping term against rambling: −{@code penalty} for each completion token beyond {@code maxTokens}, 0 within
 * it. It counts {@link Rollout#completionTokens() tokens}, not characters, as generation cost does.
 */
public final class LengthScheme implements PerRolloutScheme {

    private final int maxTokens;
    private final double penalty;

    /**
     * @param maxTokens the free allowance, >= 0
     * @param penalty   the cost of each token beyond it, >= 0
     */
    public LengthScheme(int maxTokens, double penalty) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max_tokens must be >= 0, got " + maxTokens);
        }
        if (!(penalty >= 0 && Double.isFinite(penalty))) {
            throw new IllegalArgumentException("penalty must be a finite number >= 0, got " + penalty);
        }
        this.maxTokens = maxTokens;
        this.penalty = penalty;
    }

    @Override
    public String name() {
        return "length";
    }

    @Override
    public Reward score(Rollout rollout) {
        int excess = rollout.completionLength() - maxTokens;
        return Reward.of(name(), excess > 0 ? -penalty * excess : 0.0, null);
    }
}
