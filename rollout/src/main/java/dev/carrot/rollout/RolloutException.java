package dev.carrot.rollout;

/** A batch of rollouts could not be generated: some chunk failed on every attempt, or the service closed. */
public final class RolloutException extends RuntimeException {

    public RolloutException(String message) {
        super(message);
    }

    public RolloutException(String message, Throwable cause) {
        super(message, cause);
    }
}
