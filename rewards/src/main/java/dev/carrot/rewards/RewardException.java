package dev.carrot.rewards;

import java.util.OptionalInt;

/** A reward scheme could not score a batch, and may say which rollout in it was at fault. */
public class RewardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int rolloutIndex;

    /** A failure of the whole batch, such as an unreachable remote endpoint. */
    public RewardException(String message, Throwable cause) {
        this(-1, message, cause);
    }

    /** A failure of the whole batch. */
    public RewardException(String message) {
        this(-1, message, null);
    }

    private RewardException(int rolloutIndex, String message, Throwable cause) {
        super(message, cause);
        this.rolloutIndex = rolloutIndex;
    }

    /** A failure caused by the rollout at {@code index} in the batch; the rest of the batch could be scored. */
    public static RewardException at(int index, String message, Throwable cause) {
        if (index < 0) {
            throw new IllegalArgumentException("rollout index must be >= 0, got " + index);
        }
        return new RewardException(index, message, cause);
    }

    /** The position in the batch of the rollout at fault, when the failure is that rollout's alone. */
    public OptionalInt rolloutIndex() {
        return rolloutIndex < 0 ? OptionalInt.empty() : OptionalInt.of(rolloutIndex);
    }
}
