package dev.carrot.rollout.serve;

import java.util.Objects;

/**
 * Settings of the OpenAI-compatible server.
 *
 * @param host                  the address to bind; default {@code 127.0.0.1}, so the server is not reachable from
 *                              other machines unless asked
 * @param port                  the port; 0 picks a free one ({@link OpenAiServer#port()} tells which). Default 8000
 * @param modelName             the model id clients name in requests and {@code GET /v1/models} lists
 * @param apiKey                the bearer key every request must carry; null serves without one
 * @param maxBodyBytes          largest request body; a larger one is refused with 413. Default 1 MiB
 * @param maxChoices            the largest {@code n} (times the number of prompts); default 16
 * @param maxConcurrent         requests being answered at once; more are refused with 429. Default 64
 * @param timeoutMillis         how long a request may wait for its completions before it fails with 504; default
 *                              120000
 * @param batchWindowMillis     how long the first request of a batch waits for others to join it; default 5
 * @param maxBatchPrompts       prompts per batch sent to the workers; a full batch leaves at once. Default 64
 * @param defaultMaxTokens      new tokens per completion when a request does not say; default 64, cut to the room
 *                              the prompt leaves in the context
 * @param seed                  where requests without a {@code seed} get theirs: a generator seeded with it
 */
public record ServeConfig(String host, int port, String modelName, String apiKey, int maxBodyBytes, int maxChoices,
        int maxConcurrent, long timeoutMillis, long batchWindowMillis, int maxBatchPrompts, int defaultMaxTokens,
        long seed) {

    public ServeConfig {
        Objects.requireNonNull(host, "host");
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("model name: expected non-empty text");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: expected 0 (any free port) to 65535, got " + port);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("api key: expected non-empty text (or none at all)");
        }
        requirePositive("max_body_bytes", maxBodyBytes);
        requirePositive("max_choices", maxChoices);
        requirePositive("max_concurrent", maxConcurrent);
        requirePositive("timeout_millis", timeoutMillis);
        requirePositive("max_batch_prompts", maxBatchPrompts);
        requirePositive("default_max_tokens", defaultMaxTokens);
        if (batchWindowMillis < 0) {
            throw new IllegalArgumentException("batch_window_millis: expected ≥ 0, got " + batchWindowMillis);
        }
    }

    /** The defaults for serving {@code modelName} without a key. */
    public static ServeConfig defaults(String modelName) {
        return new ServeConfig("127.0.0.1", 8000, modelName, null, 1 << 20, 16, 64, 120_000, 5, 64, 64, 0);
    }

    public ServeConfig withAddress(String host, int port) {
        return new ServeConfig(host, port, modelName, apiKey, maxBodyBytes, maxChoices, maxConcurrent, timeoutMillis,
                batchWindowMillis, maxBatchPrompts, defaultMaxTokens, seed);
    }

    public ServeConfig withApiKey(String apiKey) {
        return new ServeConfig(host, port, modelName, apiKey, maxBodyBytes, maxChoices, maxConcurrent, timeoutMillis,
                batchWindowMillis, maxBatchPrompts, defaultMaxTokens, seed);
    }

    public ServeConfig withLimits(int maxBodyBytes, int maxChoices, int maxConcurrent, long timeoutMillis) {
        return new ServeConfig(host, port, modelName, apiKey, maxBodyBytes, maxChoices, maxConcurrent, timeoutMillis,
                batchWindowMillis, maxBatchPrompts, defaultMaxTokens, seed);
    }

    private static void requirePositive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": expected a positive integer, got " + value);
        }
    }
}
