package dev.carrot.evaluation.endpoint;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * An OpenAI-protocol endpoint on a free loopback port whose answer to each request is scripted: given the prompt
 * and how many times it was asked before, a status (0: never answer), and for 200 the completion's text.
 */
final class FakeEndpoint implements AutoCloseable {

    /** A scripted reply. */
    record Reply(int status, String text, Map<String, String> headers) {
        static Reply ok(String text) {
            return new Reply(200, text, Map.of());
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    final List<JsonObject> bodies = new CopyOnWriteArrayList<>();

    FakeEndpoint(BiFunction<String, Integer, Reply> script) {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(buffer -> {
            JsonObject body = buffer.toJsonObject();
            bodies.add(body);
            String prompt = body.containsKey("prompt") ? body.getString("prompt")
                    : body.getJsonArray("messages").getJsonObject(0).getString("content");
            int before = asked.computeIfAbsent(prompt, p -> new AtomicInteger()).getAndIncrement();
            reply(request, body.containsKey("messages"), script.apply(prompt, before));
        })).listen(0, "127.0.0.1").await();
    }

    /** A chat is answered with the message alone, no log-probabilities; a completion with two tokens' worth. */
    private static void reply(HttpServerRequest request, boolean chat, Reply reply) {
        if (reply.status() == 0) {
            return; // leaves the client waiting
        }
        reply.headers().forEach(request.response()::putHeader);
        if (reply.status() != 200) {
            request.response().setStatusCode(reply.status()).end(new JsonObject().put("error", new JsonObject()
                    .put("message", "scripted " + reply.status()).put("type", "x")).encode());
            return;
        }
        if (chat) {
            request.response().end(new JsonObject().put("choices", new JsonArray().add(new JsonObject()
                    .put("index", 0).put("message", new JsonObject().put("role", "assistant")
                            .put("content", reply.text())).put("finish_reason", "stop"))).encode());
            return;
        }
        JsonObject logprobs = new JsonObject().put("tokens", new JsonArray().add(reply.text()).add("\n"))
                .put("token_logprobs", new JsonArray().add(-0.25f).add(-0.5f));
        request.response().end(new JsonObject().put("choices", new JsonArray().add(new JsonObject()
                .put("index", 0).put("text", reply.text()).put("logprobs", logprobs)
                .put("finish_reason", "stop"))).encode());
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/v1");
    }

    int asked(String prompt) {
        AtomicInteger count = asked.get(prompt);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
