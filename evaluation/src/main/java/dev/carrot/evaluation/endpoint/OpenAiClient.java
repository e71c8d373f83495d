package dev.carrot.evaluation.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Posts JSON to an OpenAI-protocol endpoint and retries what may succeed later: a 429, a 5xx, a timeout or a
 * broken connection, after an exponential backoff with jitter, or after the server's {@code Retry-After}. Any other
 * refusal (a 4xx: a wrong key, an unknown model, a bad field) fails at once with the server's message, since asking
 * again would not help. Thread-safe.
 */
public final class OpenAiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EndpointConfig config;
    private final HttpClient http;
    private final SplittableRandom jitter;

    public OpenAiClient(EndpointConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.timeoutMillis())).build();
        this.jitter = new SplittableRandom(config.seed());
    }

    public EndpointConfig config() {
        return config;
    }

    /** A new request body naming the model. */
    public ObjectNode body() {
        return JSON.createObjectNode().put("model", config.model());
    }

    /**
     * The JSON answer to {@code body} posted to {@code baseUrl + path}.
     *
     * @throws EndpointException if the endpoint refuses it, or fails it on every attempt
     */
    public JsonNode post(String path, ObjectNode body) {
        URI uri = URI.create(config.baseUrl() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(config.timeoutMillis()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (config.apiKey() != null) {
            request.header("Authorization", "Bearer " + config.apiKey());
        }
        String last = null;
        for (int attempt = 1; ; attempt++) {
            long wait;
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return parse(uri, response.body());
                }
                last = "HTTP " + status + ": " + errorMessage(response.body());
                if (status != 429 && status < 500) {
                    throw new EndpointException(uri + " refused the request with " + last);
                }
                Optional<Long> after = retryAfter(response);
                wait = after.isPresent() ? after.get() : backoff(attempt);
            } catch (IOException e) { // connection refused or reset, timeout (HttpTimeoutException)
                last = e.toString();
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EndpointException("interrupted while asking " + uri, e);
            }
            if (attempt >= config.attempts()) {
                throw new EndpointException(uri + " failed on all " + config.attempts() + " attempts; the last: "
                        + last);
            }
            sleep(wait, uri);
        }
    }

    /** The wait before try {@code attempt + 1}: exponential, capped, with jitter. */
    private long backoff(int attempt) {
        double base = Math.min(config.maxBackoffMillis(),
                config.backoffMillis() * Math.pow(2, Math.min(attempt - 1, 30)));
        double factor;
        synchronized (jitter) {
            factor = 0.5 + 0.5 * jitter.nextDouble();
        }
        return Math.round(base * factor);
    }

    /** The server's {@code Retry-After} in seconds, as a wait, if it sent one. */
    private Optional<Long> retryAfter(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long millis = Math.round(Double.parseDouble(value.trim()) * 1000);
                return Optional.of(Math.max(0, Math.min(millis, config.maxBackoffMillis())));
            } catch (NumberFormatException e) { // an HTTP date: fall back to our own backoff
                return Optional.empty();
            }
        });
    }

    private static void sleep(long millis, URI uri) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EndpointException("interrupted while waiting to retry " + uri, e);
        }
    }

    private static JsonNode parse(URI uri, String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new EndpointException(uri + " answered with something other than JSON: " + abbreviate(body), e);
        }
    }

    /** OpenAI's {@code error.message}, or the body itself. */
    private static String errorMessage(String body) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (IOException e) {
            // not JSON: show the body
        }
        return abbreviate(body);
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
