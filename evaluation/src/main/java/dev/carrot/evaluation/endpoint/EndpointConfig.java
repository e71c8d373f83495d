package dev.carrot.evaluation.endpoint;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach a model behind OpenAI's HTTP protocol (Carrot's {@code serve}, vLLM, Ollama, a hosted API) and how
 * hard to try.
 *
 * @param baseUrl         the API's base, e.g. {@code http://127.0.0.1:8000/v1}; requests go to
 *                        {@code baseUrl + "/completions"} and so on
 * @param model           the model's name at the endpoint
 * @param apiKey          sent as {@code Authorization: Bearer KEY}; null sends none
 * @param concurrency     requests in flight at once; ≥ 1, default 4
 * @param attempts        tries per request before giving up, counting the first; ≥ 1, default 6. A 429, a 5xx, a
 *                        timeout or a broken connection is retried; any other refusal is not
 * @param backoffMillis   the wait before the first retry, doubled before each next one up to
 *                        {@code maxBackoffMillis}, with jitter: a uniform factor in [0.5, 1]; default 500. A
 *                        {@code Retry-After} header from the server is honoured instead, up to
 *                        {@code maxBackoffMillis}
 * @param maxBackoffMillis the longest wait between tries; default 30000
 * @param timeoutMillis   how long one request may take before it counts as failed; default 120000
 * @param seed            seeds the jitter
 */
public record EndpointConfig(URI baseUrl, String model, String apiKey, int concurrency, int attempts,
        long backoffMillis, long maxBackoffMillis, long timeoutMillis, long seed) {

    public EndpointConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("endpoint: expected an http:// or https:// URL, got " + baseUrl);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model name: expected the model's name at the endpoint");
        }
        requirePositive("concurrency", concurrency);
        requirePositive("attempts", attempts);
        requirePositive("timeout_millis", timeoutMillis);
        if (backoffMillis < 0 || maxBackoffMillis < backoffMillis) {
            throw new IllegalArgumentException("backoff: expected 0 ≤ backoff ≤ max backoff, got " + backoffMillis
                    + " and " + maxBackoffMillis);
        }
        String base = baseUrl.toString();
        baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    /** The defaults for {@code model} at {@code baseUrl}, without a key. */
    public static EndpointConfig defaults(URI baseUrl, String model) {
        return new EndpointConfig(baseUrl, model, null, 4, 6, 500, 30_000, 120_000, 0);
    }

    public EndpointConfig withApiKey(String apiKey) {
        return new EndpointConfig(baseUrl, model, apiKey, concurrency, attempts, backoffMillis, maxBackoffMillis,
                timeoutMillis, seed);
    }

    public EndpointConfig withRetries(int attempts, long backoffMillis, long maxBackoffMillis, long timeoutMillis) {
        return new EndpointConfig(baseUrl, model, apiKey, concurrency, attempts, backoffMillis, maxBackoffMillis,
                timeoutMillis, seed);
    }

    public EndpointConfig withConcurrency(int concurrency) {
        return new EndpointConfig(baseUrl, model, apiKey, concurrency, attempts, backoffMillis, maxBackoffMillis,
                timeoutMillis, seed);
    }

    private static void requirePositive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": expected a positive integer, got " + value);
        }
    }
}
