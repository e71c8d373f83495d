package dev.carrot.rewards.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.carrot.rewards.GuardedScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardException;
import dev.carrot.rewards.RewardJson;
import dev.carrot.rewards.RewardSchemeRegistry;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.config.RewardConfig;
import dev.carrot.rewards.grading.Category;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Against a real HTTP server on the loopback interface, one endpoint per behaviour. */
class RemoteRewardSchemeTest {

    private HttpServer server;
    private ExecutorService handlers;
    private final CountDownLatch releaseStalledRequests = new CountDownLatch(1);
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    private static final List<Rollout> TWO = List.of(
            new Rollout("Capital of France?", "Paris.", new int[] {17, 4}, List.of("Paris"), Map.of("id", "q1")),
            new Rollout("Capital of Peru?", "I don't know.", new int[] {9}, List.of("Lima"), Map.of("id", "q2")));

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        releaseStalledRequests.countDown();
        server.stop(0);
        handlers.shutdown();
        handlers.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Serves {@code path} with the given answers in turn, the last one repeating. */
    private URI endpoint(String path, Answer... answers) {
        AtomicInteger calls = new AtomicInteger();
        server.createContext(path, exchange -> {
            received.add(RewardJson.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            answers[Math.min(calls.getAndIncrement(), answers.length - 1)].send(exchange);
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private interface Answer {
        void send(HttpExchange exchange) throws IOException;
    }

    private static Answer status(int status, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        };
    }

    private static Answer ok(String body) {
        return status(200, body);
    }

    private Answer stall() {
        return exchange -> {
            try {
                releaseStalledRequests.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        };
    }

    /** Patient enough that a loaded CI machine never times out an answered request. */
    private static RemoteRewardScheme remote(URI url, int retries) {
        return remote(url, retries, Duration.ofSeconds(10));
    }

    private static RemoteRewardScheme remote(URI url, int retries, Duration timeout) {
        return new RemoteRewardScheme(url, timeout, retries, Duration.ofMillis(1));
    }

    @Test
    void postsTheBatchAndReadsNumbersAndObjects() {
        URI url = endpoint("/score", ok("""
                {"rewards": [1.0, {"value": -0.5, "components": {"judge": -0.25, "style": -0.25},
                                   "category": "hedged_incorrect"}]}"""));

        List<Reward> rewards = remote(url, 0).score(TWO);

        assertEquals(Reward.of("remote", 1.0, null), rewards.get(0));
        assertEquals(new Reward(-0.5, Map.of("judge", -0.25, "style", -0.25), Category.HEDGED_INCORRECT),
                rewards.get(1));
        JsonNode request = received.get(0);
        assertEquals(2, request.get("rollouts").size());
        JsonNode first = request.get("rollouts").get(0);
        assertEquals("Capital of France?", first.get("prompt").asText());
        assertEquals("Paris.", first.get("completion").asText());
        assertEquals(17, first.get("completion_tokens").get(0).asInt());
        assertEquals("Paris", first.get("references").get(0).asText());
        assertEquals("q1", first.get("metadata").get("id").asText());
        assertEquals(TWO.get(1), RewardJson.rollout(request.get("rollouts").get(1)), "the wire form round-trips");
    }

    @Test
    void retriesAfterATimeout() {
        URI url = endpoint("/slow-once", stall(), ok("{\"rewards\": [0.25, 0.75]}"));

        List<Reward> rewards = remote(url, 1, Duration.ofSeconds(1)).score(TWO);

        assertEquals(List.of(0.25, 0.75), rewards.stream().map(Reward::value).toList());
        assertEquals(2, received.size(), "the first attempt timed out, the second was answered");
    }

    @Test
    void retriesAfterAServerError() {
        URI url = endpoint("/flaky", status(503, "busy"), status(500, "oops"), ok("{\"rewards\": [1, 2]}"));

        assertEquals(List.of(1.0, 2.0), remote(url, 2).score(TWO).stream().map(Reward::value).toList());
        assertEquals(3, received.size());
    }

    @Test
    void givesUpWithTheLastErrorWhenRetriesRunOut() {
        URI url = endpoint("/down", status(503, "overloaded"));

        RewardException e = assertThrows(RewardException.class, () -> remote(url, 2).score(TWO));

        assertEquals("remote reward endpoint " + url + ": no valid answer after 3 attempts; last: HTTP 503 overloaded",
                e.getMessage());
        assertEquals(3, received.size());
    }

    @Test
    void givesUpAfterRepeatedTimeouts() {
        URI url = endpoint("/stalled", stall());

        RewardException e = assertThrows(RewardException.class,
                () -> remote(url, 1, Duration.ofMillis(300)).score(TWO));

        assertEquals("remote reward endpoint " + url + ": no valid answer after 2 attempts; last: no answer within"
                + " 300 ms", e.getMessage());
    }

    @Test
    void garbageIsAClearErrorAndNotRetried() {
        URI url = endpoint("/garbage", ok("<html>Internal proxy page</html>"));

        RewardException e = assertThrows(RewardException.class, () -> remote(url, 3).score(TWO));

        assertEquals("remote reward endpoint " + url + ": answer is not JSON: <html>Internal proxy page</html>",
                e.getMessage());
        assertEquals(1, received.size());
    }

    @Test
    void jsonOfTheWrongShapeIsAClearError() {
        URI wrapped = endpoint("/bare-list", ok("[1, 2]"));
        assertEquals("remote reward endpoint " + wrapped + ": expected {\"rewards\": [...]}, got [1, 2]",
                assertThrows(RewardException.class, () -> remote(wrapped, 0).score(TWO)).getMessage());

        URI element = endpoint("/bad-element", ok("{\"rewards\": [1, \"high\"]}"));
        assertEquals("remote reward endpoint " + element + ": rewards[1]: expected a number or {\"value\": number,"
                        + " ...}, got \"high\"",
                assertThrows(RewardException.class, () -> remote(element, 0).score(TWO)).getMessage());

        URI category = endpoint("/bad-category", ok("{\"rewards\": [1, {\"value\": 1, \"category\": \"great\"}]}"));
        assertEquals("remote reward endpoint " + category + ": rewards[1]: category: expected one of [correct,"
                        + " hedged_correct, abstained, hedged_incorrect, incorrect], got \"great\"",
                assertThrows(RewardException.class, () -> remote(category, 0).score(TWO)).getMessage());
    }

    @Test
    void theWrongNumberOfRewardsIsAClearError() {
        URI url = endpoint("/short", ok("{\"rewards\": [1.0]}"));

        RewardException e = assertThrows(RewardException.class, () -> remote(url, 3).score(TWO));

        assertEquals("remote reward endpoint " + url + ": sent 2 rollouts but got 1 rewards", e.getMessage());
        assertEquals(1, received.size(), "not retried");
    }

    @Test
    void clientErrorsFailAtOnce() {
        URI url = endpoint("/strict", status(400, "{\"error\": \"missing field\"}"));

        RewardException e = assertThrows(RewardException.class, () -> remote(url, 3).score(TWO));

        assertEquals("remote reward endpoint " + url + ": answered HTTP 400 {\"error\": \"missing field\"}",
                e.getMessage());
        assertEquals(1, received.size());
    }

    @Test
    void aNaNFromTheEndpointIsPenalisedForItsRolloutOnly() {
        URI url = endpoint("/nan", ok("{\"rewards\": [NaN, 0.5]}"));
        GuardedScheme scheme = RewardSchemeRegistry.builtIn().build(RewardConfig.parse("""
                reward:
                  remote: {url: "%s", timeout_ms: 2000, retries: 0}
                  on_failure: {policy: penalty, value: -4}
                """.formatted(url), "remote.yaml"));

        List<Reward> rewards = scheme.score(TWO);

        assertEquals(List.of(-4.0, 0.5), rewards.stream().map(Reward::value).toList());
        assertEquals(1, scheme.failures());
    }
}
