package dev.carrot.rollout;

/**
 * Settings of a rollout service, in-process or clustered.
 *
 * @param workers       in-process rollout workers, each with its own replica of the policy; ≥ 1, default 2. A
 *                      clustered trainer runs these beside the cluster's workers unless told not to
 * @param chunkSize     prompts per worker request; ≥ 1, default 16. Chunk k of a batch is generated with seed
 *                      {@code seed + k}, so results depend on the chunk size but never on which worker served what
 * @param timeoutMillis how long a request may take, from dispatch to reply, before it counts as failed; default
 *                      120000. Dispatch waits for a free worker slot, so queueing does not count against it. It is
 *                      also how long a batch waits when no worker at all is in service before it fails
 * @param attempts      failures per chunk before the whole batch fails; ≥ 1, default 3
 * @param maxStaleness  how many versions older than the latest published weights a completion may be; ≥ 0, default
 *                      0: only completions of the latest weights are accepted, and one generated with weights that
 *                      were replaced while it ran is discarded and generated again
 * @param hedge         whether a straggling chunk is also sent to an idle worker once nothing else is queued, the
 *                      first answer winning; default false. Worth it when workers are on different machines; on one
 *                      machine the copy competes for the same cores as the original
 */
public record RolloutConfig(int workers, int chunkSize, long timeoutMillis, int attempts, long maxStaleness,
        boolean hedge) {

    public RolloutConfig {
        requirePositive("workers", workers);
        requirePositive("chunk_size", chunkSize);
        requirePositive("timeout_ms", timeoutMillis);
        requirePositive("attempts", attempts);
        if (maxStaleness < 0) {
            throw new IllegalArgumentException("max_staleness: expected a number of versions ≥ 0, got "
                    + maxStaleness);
        }
    }

    /** Settings that accept only completions of the latest weights and never hedge. */
    public RolloutConfig(int workers, int chunkSize, long timeoutMillis, int attempts) {
        this(workers, chunkSize, timeoutMillis, attempts, 0, false);
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
