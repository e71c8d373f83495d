package dev.carrot.rollout.serve;

import dev.carrot.policy.generate.Seed;
import dev.carrot.policy.tokenizer.Tokenizer;
import dev.carrot.rollout.Completion;
import dev.carrot.rollout.PromptRequest;
import dev.carrot.rollout.RolloutService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The policy behind OpenAI's HTTP protocol: {@code GET /v1/models}, {@code POST /v1/completions} and
 * {@code POST /v1/chat/completions} (the chat's messages in the policy's prompt format, see {@link ChatTranscript}),
 * with {@code max_tokens}, {@code temperature}, {@code top_p}, {@code n}, {@code stop}, {@code seed},
 * {@code logprobs} (with the most likely alternatives, {@code top_logprobs}) and {@code stream}. Every refusal is a 4xx in
 * OpenAI's error shape, produced before the request reaches the workers, so a hostile request costs the others
 * nothing but the time to read it.
 *
 * <p>Generation runs on the rollout workers, never on the event loop: validated requests join a batch
 * ({@link RequestBatcher}) that goes to {@link RolloutService#generate(List)}. Choice j of prompt i samples from
 * {@code Seed(seed, i·n + j)}, and a request without a seed gets one from a generator seeded with
 * {@link ServeConfig#seed()}, so a request with a seed gets the same choices whatever else is in flight, up to the
 * rounding of batched products ({@link Seed}).
 *
 * <p>Streaming sends OpenAI's chunk events, then {@code data: [DONE]}; since a batch is decoded as a whole, each
 * choice's text arrives in one chunk once it is generated, not token by token.
 *
 * <p>Threads: the routes run on one event loop, where the batcher and the limits live; parsing (which tokenizes to
 * check the context length) runs on Vert.x's worker pool.
 */
public final class OpenAiServer implements AutoCloseable {

    private final Vertx vertx;
    private final String deployment;
    private final int port;
    private final String host;

    private OpenAiServer(Vertx vertx, String deployment, String host, int port) {
        this.vertx = vertx;
        this.deployment = deployment;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts serving on {@code vertx}, which the caller keeps and closes, and returns once the server listens.
     *
     * @param contextLength the policy's context: a prompt and its completion must fit in it together
     */
    public static OpenAiServer start(Vertx vertx, RolloutService rollouts, Tokenizer tokenizer, int contextLength,
            ServeConfig config) {
        Objects.requireNonNull(rollouts, "rollouts");
        Routes routes = new Routes(rollouts, new RequestParser(tokenizer, contextLength, config),
                new ApiResponses(tokenizer, config.modelName()), config);
        String deployment = vertx.deployVerticle(routes).await();
        return new OpenAiServer(vertx, deployment, config.host(), routes.server.actualPort());
    }

    /** The port it listens on: the one asked for, or the free one it picked. */
    public int port() {
        return port;
    }

    /** {@code http://host:port/v1}, what OpenAI clients take as their base URL. */
    public String baseUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/v1";
    }

    /** Stops listening; requests in progress are cut off. */
    @Override
    public void close() {
        vertx.undeploy(deployment).await();
    }

    /** The HTTP routes and everything confined to their event loop. */
    private static final class Routes extends VerticleBase {

        private final RolloutService rollouts;
        private final RequestParser parser;
        private final ApiResponses responses;
        private final ServeConfig config;
        private final SplittableRandom seeds;
        private final long created = System.currentTimeMillis() / 1000;
        private RequestBatcher batcher;
        private HttpServer server;
        private int active;
        private long served;

        Routes(RolloutService rollouts, RequestParser parser, ApiResponses responses, ServeConfig config) {
            this.rollouts = rollouts;
            this.parser = parser;
            this.responses = responses;
            this.config = config;
            this.seeds = new SplittableRandom(config.seed());
        }

        @Override
        public Future<?> start() {
            batcher = new RequestBatcher(context, rollouts, config.batchWindowMillis(), config.maxBatchPrompts());
            Router router = Router.router(vertx);
            router.route().handler(this::authenticate);
            router.get("/v1/models").handler(ctx -> json(ctx, 200, new JsonObject().put("object", "list")
                    .put("data", new JsonArray().add(model()))));
            router.get("/v1/models/:id").handler(ctx -> {
                if (!config.modelName().equals(ctx.pathParam("id"))) {
                    throw new OpenAiError(404, "invalid_request_error", "model_not_found", "model",
                            "The model `" + ctx.pathParam("id") + "` does not exist");
                }
                json(ctx, 200, model());
            });
            for (boolean chat : new boolean[] {false, true}) {
                String path = chat ? "/v1/chat/completions" : "/v1/completions";
                router.post(path).handler(this::admit); // a route of its own: Vert.x reads bodies first on a route
                router.post(path)
                        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                        .handler(ctx -> generate(ctx, chat));
            }
            router.route().failureHandler(this::failed);
            router.errorHandler(404, ctx -> error(ctx, new OpenAiError(404, "invalid_request_error",
                    "unknown_url", null, "Unknown request URL: " + ctx.request().method() + " "
                    + ctx.request().path())));
            router.errorHandler(405, ctx -> error(ctx, new OpenAiError(405, "invalid_request_error",
                    "method_not_allowed", null, "Method " + ctx.request().method() + " is not allowed on "
                    + ctx.request().path())));
            return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
                    .requestHandler(router)
                    .listen()
                    .onSuccess(listening -> server = listening);
        }

        private JsonObject model() {
            return new JsonObject().put("id", config.modelName()).put("object", "model").put("created", created)
                    .put("owned_by", "carrot");
        }

        /** Checks the bearer key in constant time, before the body is read. */
        private void authenticate(RoutingContext ctx) {
            if (config.apiKey() == null) {
                ctx.next();
                return;
            }
            String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
            String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).trim() : null;
            if (given == null) {
                error(ctx, new OpenAiError(401, "invalid_request_error", "invalid_api_key", null,
                        "You didn't provide an API key: send it as the header Authorization: Bearer KEY"));
            } else if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    config.apiKey().getBytes(StandardCharsets.UTF_8))) {
                error(ctx, new OpenAiError(401, "invalid_request_error", "invalid_api_key", null,
                        "Incorrect API key provided"));
            } else {
                ctx.next();
            }
        }

        /** Refuses a request beyond the concurrency limit before its body is read. */
        private void admit(RoutingContext ctx) {
            if (active >= config.maxConcurrent()) {
                ctx.response().putHeader("Retry-After", "1");
                error(ctx, new OpenAiError(429, "requests", "rate_limit_exceeded", null, "This server is answering"
                        + " its limit of " + config.maxConcurrent() + " requests; retry shortly"));
                return;
            }
            active++;
            ctx.addEndHandler(ended -> active--);
            ctx.next();
        }

        private void generate(RoutingContext ctx, boolean chat) {
            JsonObject body;
            try {
                body = ctx.body().asJsonObject();
            } catch (RuntimeException e) {
                body = null;
            }
            if (body == null) {
                throw new OpenAiError(400, "invalid_request_error", "invalid_json", null,
                        "We could not parse the JSON body of your request: expected a JSON object");
            }
            JsonObject request = body;
            long fallbackSeed = seeds.nextLong();
            String id = (chat ? "chatcmpl-" : "cmpl-") + Long.toHexString(created) + "-" + (++served);
            long timer = vertx.setTimer(config.timeoutMillis(), fired -> error(ctx, new OpenAiError(504,
                    "server_error", "timeout", null, "The completion took longer than " + config.timeoutMillis()
                    + " ms")));
            vertx.executeBlocking(() -> parser.parse(request, chat, fallbackSeed), false)
                    .compose(parsed -> Future.fromCompletionStage(complete(parsed), context)
                            .map(completions -> new Answered(parsed, completions)))
                    .onComplete(done -> {
                        vertx.cancelTimer(timer);
                        if (ctx.response().ended() || ctx.response().closed()) {
                            return; // timed out, or the client left
                        }
                        if (done.failed()) {
                            failed(ctx, done.cause());
                        } else {
                            respond(ctx, id, done.result());
                        }
                    });
        }

        private record Answered(ApiRequest request, List<Completion> completions) {}

        private void respond(RoutingContext ctx, String id, Answered answered) {
            long now = System.currentTimeMillis() / 1000;
            if (answered.request().stream()) {
                stream(ctx.response(), responses.stream(answered.request(), id, now, answered.completions()));
            } else {
                json(ctx, 200, responses.response(answered.request(), id, now, answered.completions()));
            }
        }

        private CompletableFuture<List<Completion>> complete(ApiRequest request) {
            List<PromptRequest> prompts = new ArrayList<>(request.choices());
            for (int i = 0; i < request.prompts().size(); i++) {
                for (int j = 0; j < request.n(); j++) {
                    prompts.add(new PromptRequest(request.prompts().get(i), request.sampling(),
                            new Seed(request.seed(), i * request.n() + j)));
                }
            }
            return batcher.submit(prompts);
        }

        private static void stream(HttpServerResponse response, List<JsonObject> events) {
            response.setChunked(true).setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            for (JsonObject event : events) {
                response.write("data: " + event.encode() + "\n\n");
            }
            response.end("data: [DONE]\n\n");
        }

        private void failed(RoutingContext ctx) {
            Throwable failure = ctx.failure();
            if (failure == null) { // a status without an exception, e.g. BodyHandler's 413
                int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
                error(ctx, status == 413
                        ? new OpenAiError(413, "invalid_request_error", "request_too_large", null, "The request"
                                + " body exceeds this server's limit of " + config.maxBodyBytes() + " bytes")
                        : new OpenAiError(status, status < 500 ? "invalid_request_error" : "server_error", null,
                                null, "The request failed with HTTP status " + status));
                return;
            }
            failed(ctx, failure);
        }

        private void failed(RoutingContext ctx, Throwable failure) {
            if (failure instanceof OpenAiError e) {
                error(ctx, e);
            } else {
                System.getLogger(OpenAiServer.class.getName()).log(System.Logger.Level.WARNING,
                        "request failed", failure);
                error(ctx, new OpenAiError(500, "server_error", null, null, "The server could not complete the"
                        + " request: " + failure.getMessage()));
            }
        }

        private static void error(RoutingContext ctx, OpenAiError error) {
            json(ctx, error.status(), error.body());
        }

        private static void json(RoutingContext ctx, int status, JsonObject body) {
            HttpServerResponse response = ctx.response();
            if (response.ended() || response.closed() || response.headWritten()) {
                return;
            }
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(body.encode());
        }
    }
}
