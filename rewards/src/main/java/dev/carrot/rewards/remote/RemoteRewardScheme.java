package dev.carrot.rewards.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardException;
import dev.carrot.rewards.RewardJson;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.Rollout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores batches on a user's HTTP endpoint, so a reward can be written in any language or backed by any service.
 *
 * <p>Each batch is one {@code POST} of {@code {"rollouts": [rollout, ...]}} ({@code Content-Type:
 * application/json}, rollouts in the {@link RewardJson} form), and the endpoint answers {@code 200} with
 * {@code {"rewards": [reward, ...]}}, one per rollout in order, each a number or
 * {@code {"value": ..., "components": {...}, "category": "correct"}}.
 *
 * <p>An attempt that times out, cannot connect, or is answered 5xx or 429 is retried after a backoff that doubles
 * each time; when the attempts run out, the batch fails with the last error. Any other answer fails at once: a 4xx
 * is a bug in the request or the endpoint, and an answer that is not the expected JSON, or has the wrong number of
 * rewards, would be the same garbage if asked again. Failures then go to the job's failure policy.
 */
public final class RemoteRewardScheme implements RewardScheme {

    private final URI url;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final HttpClient client;

    /**
     * @param timeout how long one attempt may take, connection included
     * @param retries further attempts after a retryable failure
     * @param backoff the wait before the first retry; doubled before each further one
     */
    public RemoteRewardScheme(URI url, Duration timeout, int retries, Duration backoff) {
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        this.retries = retries;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public String name() {
        return "remote";
    }

    @Override
    public List<Reward> score(List<Rollout> rollouts) {
        if (rollouts.isEmpty()) {
            return List.of();
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode items = body.putArray("rollouts");
        rollouts.forEach(rollout -> items.add(RewardJson.toJson(rollout)));
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RewardJson.write(body)))
                .build();

        String lastError = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                pause(backoff.multipliedBy(1L << Math.min(attempt - 1, 20)));
            }
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                lastError = "no answer within " + timeout.toMillis() + " ms";
                continue;
            } catch (IOException e) {
                lastError = e.toString();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RewardException(where() + "interrupted while waiting for an answer", e);
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return rewards(response.body(), rollouts.size());
            }
            lastError = "HTTP " + status + " " + RewardJson.excerpt(response.body());
            if (status / 100 != 5 && status != 429) {
                throw new RewardException(where() + "answered " + lastError);
            }
        }
        throw new RewardException(where() + "no valid answer after " + (retries + 1)
                + (retries == 0 ? " attempt" : " attempts") + "; last: " + lastError);
    }

    private List<Reward> rewards(String body, int expected) {
        JsonNode answer;
        try {
            answer = RewardJson.read(body);
        } catch (JsonProcessingException e) {
            throw new RewardException(where() + "answer is not JSON: " + RewardJson.excerpt(body), e);
        }
        JsonNode rewards = answer == null ? null : answer.get("rewards");
        if (rewards == null || !rewards.isArray()) {
            throw new RewardException(where() + "expected {\"rewards\": [...]}, got " + RewardJson.excerpt(body));
        }
        if (rewards.size() != expected) {
            throw new RewardException(where() + "sent " + expected + " rollouts but got " + rewards.size()
                    + " rewards");
        }
        List<Reward> parsed = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            try {
                parsed.add(RewardJson.reward(rewards.get(i), name()));
            } catch (IllegalArgumentException e) {
                throw new RewardException(where() + "rewards[" + i + "]: " + e.getMessage(), e);
            }
        }
        return parsed;
    }

    private String where() {
        return "remote reward endpoint " + url + ": ";
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewardException("interrupted while waiting to retry", e);
        }
    }
}
