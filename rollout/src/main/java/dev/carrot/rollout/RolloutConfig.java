package dev.carrot.rollout;

/**
 * Settings of the in-process rollout service.
 *
 * @param workers       rollout workers, each with its own replica of the policy; ≥ 1, default 2
 * @param chunkSize     prompts per worker request; ≥ 1, default 16. Chunk k of a batch is generated with seed
 *                      {@code seed + k}, so results depend on the chunk size but never on which worker served what
 * @param timeoutMillis how long a request may take, from dispatch to reply, before it counts as failed; default
 *                      120000. Dispatch waits for a free worker, so queueing does not count against it
 * @param attempts      tries per chunk before the whole batch fails; ≥ 1, default 3
 */
public record RolloutConfig(int workers, int chunkSize, long timeoutMillis, int attempts) {

    public RolloutConfig {
        requirePositive("workers", workers);
        requirePositive("chunk_size", chunkSize);
        requirePositive("timeout_millis", timeoutMillis);
        requirePositive("attempts", attempts);
    }

    public static RolloutConfig defaults() {
        return new RolloutConfig(2, 16, 120_000, 3);
    }

    private static void requirePositive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": expected a positive integer, got " + value);
        }
    }
}
