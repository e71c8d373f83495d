package dev.carrot.rollout.serve;

import static dev.carrot.rollout.serve.ServerHarness.KEY;
import static dev.carrot.rollout.serve.ServerHarness.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.rollout.Completion;
import dev.carrot.rollout.LocalRolloutService;
import dev.carrot.rollout.PromptRequest;
import dev.carrot.rollout.RolloutConfig;
import dev.carrot.rollout.RolloutService;
import dev.carrot.rollout.TinyPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Malformed and hostile requests get 4xx errors in OpenAI's shape, and well-formed ones go on being served. */
class HostileRequestsTest {

    private record Case(String name, int status, String code, HttpRequest.Builder request) {}

    private static HttpRequest.Builder post(ServerHarness server, String path, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return key == null ? request : request.header("Authorization", "Bearer " + key);
    }

    private static String completion(String field, Object value) {
        return new JsonObject().put("model", MODEL).put("prompt", "I").put("max_tokens", 4).put(field, value).encode();
    }

    private static String chat(JsonArray messages, String field, Object value) {
        return new JsonObject().put("model", MODEL).put("messages", messages).put(field, value).encode();
    }

    private static JsonArray user(String content) {
        return new JsonArray().add(new JsonObject().put("role", "user").put("content", content));
    }

    @Test
    void everyRefusalIsA4xxInOpenAisShapeAndOthersAreStillServed() throws Exception {
        try (ServerHarness server = new ServerHarness(ServeConfig.defaults(MODEL).withAddress("127.0.0.1", 0)
                .withApiKey(KEY).withLimits(64 * 1024, 8, 64, 60_000))) {
            String c = "/completions";
            String ch = "/chat/completions";
            List<Case> cases = List.of(
                    new Case("bad JSON", 400, "invalid_json", post(server, c, KEY, "{\"model\": ")),
                    new Case("not an object", 400, "invalid_json", post(server, c, KEY, "[1, 2]")),
                    new Case("empty body", 400, "invalid_json", post(server, c, KEY, "")),
                    new Case("max_tokens a string", 400, "invalid_value", post(server, c, KEY,
                            completion("max_tokens", "ten"))),
                    new Case("n fractional", 400, "invalid_value", post(server, c, KEY, completion("n", 1.5))),
                    new Case("n negative", 400, "invalid_value", post(server, c, KEY, completion("n", -3))),
                    new Case("n zero", 400, "invalid_value", post(server, c, KEY, completion("n", 0))),
                    new Case("n too many", 400, "invalid_value", post(server, c, KEY, completion("n", 1000))),
                    new Case("huge max_tokens", 400, "context_length_exceeded", post(server, c, KEY,
                            completion("max_tokens", 1_000_000_000_000L))),
                    new Case("max_tokens beyond a long", 400, "invalid_value", post(server, c, KEY,
                            "{\"model\": \"tiny\", \"prompt\": \"I\", \"max_tokens\": 1" + "0".repeat(40) + "}")),
                    new Case("temperature a string", 400, "invalid_value", post(server, c, KEY,
                            completion("temperature", "hot"))),
                    new Case("temperature too high", 400, "invalid_value", post(server, c, KEY,
                            completion("temperature", 7))),
                    new Case("top_p zero", 400, "invalid_value", post(server, c, KEY, completion("top_p", 0))),
                    new Case("stream not a boolean", 400, "invalid_value", post(server, c, KEY,
                            completion("stream", "yes"))),
                    new Case("empty stop", 400, "invalid_value", post(server, c, KEY, completion("stop", ""))),
                    new Case("five stops", 400, "invalid_value", post(server, c, KEY,
                            completion("stop", new JsonArray(List.of("a", "b", "c", "d", "e"))))),
                    new Case("prompt a number", 400, "invalid_value", post(server, c, KEY, completion("prompt", 42))),
                    new Case("token prompt", 400, "unsupported_parameter", post(server, c, KEY,
                            completion("prompt", new JsonArray(List.of(1, 2, 3))))),
                    new Case("prompt too long", 400, "context_length_exceeded", post(server, c, KEY,
                            completion("prompt", "The capital of Varnelia is Tolmar. ".repeat(40)))),
                    new Case("too many alternatives", 400, "invalid_value", post(server, c, KEY,
                            completion("logprobs", 6))),
                    new Case("echo", 400, "unsupported_parameter", post(server, c, KEY, completion("echo", true))),
                    new Case("messages a string", 400, "invalid_value", post(server, ch, KEY,
                            new JsonObject().put("model", MODEL).put("messages", "hi").encode())),
                    new Case("system message", 400, "unsupported_parameter", post(server, ch, KEY, chat(new JsonArray()
                            .add(new JsonObject().put("role", "system").put("content", "Be brief."))
                            .add(new JsonObject().put("role", "user").put("content", "I")), "n", 1))),
                    new Case("assistant last", 400, "invalid_value", post(server, ch, KEY, chat(user("I").copy()
                            .add(new JsonObject().put("role", "assistant").put("content", "x")), "n", 1))),
                    new Case("top_logprobs without logprobs", 400, "invalid_value", post(server, ch, KEY,
                            chat(user("I"), "top_logprobs", 5))),
                    new Case("too many top_logprobs", 400, "invalid_value", post(server, ch, KEY,
                            chat(user("I"), "top_logprobs", 21).replace("}", ", \"logprobs\": true}"))),
                    new Case("missing model", 400, "invalid_value", post(server, c, KEY, "{\"prompt\": \"I\"}")),
                    new Case("unknown model", 404, "model_not_found", post(server, c, KEY,
                            completion("model", "gpt-4"))),
                    new Case("oversized body", 413, "request_too_large", post(server, c, KEY,
                            completion("prompt", "x".repeat(2 << 20)))),
                    new Case("missing key", 401, "invalid_api_key", post(server, c, null, completion("n", 1))),
                    new Case("wrong key", 401, "invalid_api_key", post(server, c, "sk-wrong", completion("n", 1))),
                    new Case("wrong key on models", 401, "invalid_api_key", HttpRequest.newBuilder(
                            server.uri("/models")).header("Authorization", "Bearer " + KEY + "x")),
                    new Case("unknown route", 404, "unknown_url", post(server, "/engines", KEY, "{}")),
                    new Case("wrong method", 405, "method_not_allowed", HttpRequest.newBuilder(server.uri(c))
                            .header("Authorization", "Bearer " + KEY)));

            CompletableFuture<Void> hammering = CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 3; round++) {
                    for (Case hostile : cases) {
                        try {
                            server.send(hostile.request());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
            HttpResponse<String> wellFormed = server.post(c, completion("n", 2));
            hammering.get();
            assertEquals(200, wellFormed.statusCode(), wellFormed.body());
            assertEquals(2, new JsonObject(wellFormed.body()).getJsonArray("choices").size());

            for (Case hostile : cases) {
                HttpResponse<String> response = server.send(hostile.request());
                assertEquals(hostile.status(), response.statusCode(), hostile.name() + ": " + response.body());
                assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                        hostile.name());
                JsonObject error = new JsonObject(response.body()).getJsonObject("error");
                assertInstanceOf(String.class, error.getValue("message"), hostile.name());
                assertInstanceOf(String.class, error.getValue("type"), hostile.name());
                assertTrue(error.containsKey("param") && error.containsKey("code"), hostile.name());
                assertEquals(hostile.code(), error.getString("code"), hostile.name() + ": " + response.body());
            }
            assertEquals(200, server.post(c, completion("n", 1)).statusCode(), "still serving");
        }
    }

    /** Workers that start generating only once {@code release} completes. */
    private static RolloutService gated(RolloutService real, CountDownLatch arrived, CompletableFuture<Void> release) {
        return new RolloutService() {
            @Override
            public CompletableFuture<List<Completion>> generate(List<String> prompts, SamplingParams s, long seed) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<List<Completion>> generate(List<PromptRequest> requests) {
                arrived.countDown();
                return release.thenCompose(ignored -> real.generate(requests));
            }

            @Override
            public void publishWeights(GptParameters parameters, long version) {}

            @Override
            public long publishedVersion() {
                return 0;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void requestsBeyondTheConcurrencyLimitGet429UntilOneFinishes() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CompletableFuture<Void> release = new CompletableFuture<>();
        Vertx vertx = Vertx.vertx();
        var real = LocalRolloutService.start(vertx, TinyPolicy.policy(1), new RolloutConfig(1, 4, 60_000, 1));
        RolloutService gated = gated(real, arrived, release);
        ServeConfig config = ServeConfig.defaults(MODEL).withAddress("127.0.0.1", 0).withLimits(1 << 16, 4, 1, 60_000);
        try (OpenAiServer server = OpenAiServer.start(vertx, gated, TinyPolicy.TOKENIZER,
                TinyPolicy.CONFIG.contextLength(), config)) {
            HttpClient http = HttpClient.newHttpClient();
            String body = new JsonObject().put("model", MODEL).put("prompt", "I").put("max_tokens", 3).encode();
            HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            CompletableFuture<HttpResponse<String>> first = http.sendAsync(request,
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(arrived.await(30, TimeUnit.SECONDS));
            HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(429, refused.statusCode());
            assertEquals("rate_limit_exceeded", new JsonObject(refused.body()).getJsonObject("error")
                    .getString("code"));
            assertTrue(refused.headers().firstValue("retry-after").isPresent());
            release.complete(null);
            assertEquals(200, first.get().statusCode());
            assertEquals(200, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            real.close();
            vertx.close().await();
        }
    }

    @Test
    void aRequestNotAnsweredInTimeGets504AndTheServerGoesOn() throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        Vertx vertx = Vertx.vertx();
        var real = LocalRolloutService.start(vertx, TinyPolicy.policy(1), new RolloutConfig(1, 4, 60_000, 1));
        ServeConfig config = ServeConfig.defaults(MODEL).withAddress("127.0.0.1", 0).withLimits(1 << 16, 4, 4, 200);
        try (OpenAiServer server = OpenAiServer.start(vertx, gated(real, new CountDownLatch(1), never),
                TinyPolicy.TOKENIZER, TinyPolicy.CONFIG.contextLength(), config)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(completion("max_tokens", 3))).build();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(504, response.statusCode());
                assertEquals("timeout", new JsonObject(response.body()).getJsonObject("error").getString("code"));
            }
        } finally {
            real.close();
            vertx.close().await();
        }
    }
}
