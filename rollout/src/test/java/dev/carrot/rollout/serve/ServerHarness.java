package dev.carrot.rollout.serve;

import dev.carrot.rollout.LocalRolloutService;
import dev.carrot.rollout.RolloutConfig;
import dev.carrot.rollout.TinyPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A server over the tiny random policy on a free loopback port, and a plain HTTP client for it. */
final class ServerHarness implements AutoCloseable {

    static final String MODEL = "tiny";
    static final String KEY = "sk-test-key";

    final Vertx vertx = Vertx.vertx();
    final LocalRolloutService rollouts;
    final OpenAiServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServerHarness(ServeConfig config) {
        rollouts = LocalRolloutService.start(vertx, TinyPolicy.policy(1), new RolloutConfig(2, 4, 60_000, 2));
        server = OpenAiServer.start(vertx, rollouts, TinyPolicy.TOKENIZER, TinyPolicy.CONFIG.contextLength(), config);
    }

    ServerHarness() {
        this(ServeConfig.defaults(MODEL).withAddress("127.0.0.1", 0).withApiKey(KEY));
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    static JsonObject json(HttpResponse<String> response) {
        return new JsonObject(response.body());
    }

    @Override
    public void close() {
        server.close();
        rollouts.close();
        vertx.close().await();
    }
}
