package dev.carrot.trainer.job;

import static dev.carrot.common.ConfigValues.positive;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.carrot.rollout.RolloutConfig;

/**
 * The {@code rollout:} section of a job: the rollout workers and how batches are spread over them. Defaults are
 * {@link RolloutConfig}'s.
 *
 * @param workers     worker verticles, each with its own policy replica
 * @param chunkSize   prompts per request to a worker
 * @param timeoutMs   per-request timeout before the chunk is retried
 * @param attempts    failures per chunk before the batch fails
 * @param maxStaleness how many versions older than the latest weights a rollout may be before it is regenerated
 * @param hedge       whether straggling chunks are also sent to idle workers (first answer wins)
 */
public record RolloutSettings(
        @JsonProperty("workers") Integer workers,
        @JsonProperty("chunk_size") Integer chunkSize,
        @JsonProperty("timeout_ms") Long timeoutMs,
        @JsonProperty("attempts") Integer attempts,
        @JsonProperty("max_staleness") Long maxStaleness,
        @JsonProperty("hedge") Boolean hedge) {

    public RolloutSettings {
        RolloutConfig defaults = RolloutConfig.defaults();
        workers = positive("workers", workers, defaults.workers());
        chunkSize = positive("chunk_size", chunkSize, defaults.chunkSize());
        timeoutMs = timeoutMs == null ? defaults.timeoutMillis() : timeoutMs;
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout_ms: expected a positive number of milliseconds, got " + timeoutMs);
        }
        attempts = positive("attempts", attempts, defaults.attempts());
        maxStaleness = maxStaleness == null ? defaults.maxStaleness() : maxStaleness;
        if (maxStaleness < 0) {
            throw new IllegalArgumentException("max_staleness: expected a number of versions ≥ 0, got "
                    + maxStaleness);
        }
        hedge = hedge == null ? defaults.hedge() : hedge;
    }

    public RolloutConfig toConfig() {
        return new RolloutConfig(workers, chunkSize, timeoutMs, attempts, maxStaleness, hedge);
    }
}
