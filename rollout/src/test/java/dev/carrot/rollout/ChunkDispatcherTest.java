package dev.carrot.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.generate.FinishReason;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.generate.Seed;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against scripted workers: event-bus consumers whose requests the test answers (or not) itself, so
 * that joins, leaves, late and duplicate answers, hedges and stale weights happen in a known order.
 */
class ChunkDispatcherTest {

    private static final List<String> PROMPTS = List.of("a", "b", "c", "d");

    private final Vertx vertx = Vertx.vertx();
    private final AtomicLong published = new AtomicLong();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    /** A worker that hands its requests to the test. */
    private final class ScriptedWorker {
        final WorkerEndpoint endpoint;
        final BlockingQueue<Message<JsonObject>> requests = new LinkedBlockingQueue<>();

        ScriptedWorker(String name, int capacity) {
            endpoint = new WorkerEndpoint(name, "test.worker." + name, capacity, "node-" + name);
            vertx.eventBus().<JsonObject>consumer(endpoint.address(), requests::add).completion().await();
        }

        Message<JsonObject> next() throws InterruptedException {
            Message<JsonObject> request = requests.poll(10, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError(endpoint.name() + " got no request");
            }
            return request;
        }

        /** Answers {@code message} with made-up completions, generated with weights {@code version}. */
        void answer(Message<JsonObject> message, long version) {
            ChunkRequest request = RolloutMessages.decode(message.body(), ChunkRequest.class);
            List<Completion> completions = new ArrayList<>();
            for (int i = 0; i < request.prompts().size(); i++) {
                completions.add(new Completion(request.firstPromptIndex() + i, request.prompts().get(i).prompt(),
                        new int[] {1}, new int[] {2}, new float[] {-1f}, endpoint.name(), FinishReason.EOS, version,
                        endpoint.name(), List.of()));
            }
            message.reply(RolloutMessages.encode(new ChunkResult(request.requestId(), request.chunkIndex(),
                    endpoint.name(), version, completions)));
        }
    }

    private ChunkDispatcher dispatcher(long timeoutMillis, long maxStaleness, boolean hedge) {
        return new ChunkDispatcher(vertx.getOrCreateContext(),
                new RolloutConfig(1, 2, timeoutMillis, 3, maxStaleness, hedge), published::get);
    }

    private CompletableFuture<List<Completion>> submit(ChunkDispatcher dispatcher, String id) {
        RolloutBatch batch = new RolloutBatch(id, PROMPTS.size());
        dispatcher.submit(batch, ChunkRequest.split(id, greedy(PROMPTS), 2, published.get()));
        return batch.future();
    }

    private static List<PromptRequest> greedy(List<String> prompts) {
        return prompts.stream().map(p -> new PromptRequest(p, SamplingParams.greedy(4), new Seed(0, 0))).toList();
    }

    private static int chunk(Message<JsonObject> request) {
        return RolloutMessages.decode(request.body(), ChunkRequest.class).chunkIndex();
    }

    private static List<String> servedBy(List<Completion> completions) {
        return completions.stream().map(Completion::worker).toList();
    }

    @Test
    void aBatchWaitsForWorkersAndALeavingWorkersRequestGoesToAnotherAtOnce() throws Exception {
        ChunkDispatcher dispatcher = dispatcher(60_000, 0, false);
        CompletableFuture<List<Completion>> batch = submit(dispatcher, "r1");
        ScriptedWorker a = new ScriptedWorker("a", 1);
        ScriptedWorker b = new ScriptedWorker("b", 1);
        dispatcher.add(a.endpoint);
        Message<JsonObject> first = a.next();
        dispatcher.add(b.endpoint);
        Message<JsonObject> second = b.next();
        assertEquals(0, chunk(first));
        assertEquals(1, chunk(second));

        dispatcher.removeNode("node-b", "test");
        a.answer(first, 0);
        Message<JsonObject> retried = a.next(); // well before the one-minute timeout
        assertEquals(1, chunk(retried));
        a.answer(retried, 0);
        assertEquals(List.of("a", "a", "a", "a"), servedBy(batch.get(10, TimeUnit.SECONDS)));

        b.answer(second, 0); // the departed worker answers after all: dropped
        assertEquals(List.of("a"), dispatcher.workers().await().stream().map(WorkerEndpoint::name).toList());
    }

    @Test
    void aWorkerGetsAsManyRequestsAtOnceAsItHasSlots() throws Exception {
        ChunkDispatcher dispatcher = dispatcher(60_000, 0, false);
        ScriptedWorker big = new ScriptedWorker("big", 2);
        ScriptedWorker small = new ScriptedWorker("small", 1);
        dispatcher.add(big.endpoint);
        dispatcher.add(small.endpoint);
        RolloutBatch batch = new RolloutBatch("r1", 8);
        List<String> prompts = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        dispatcher.submit(batch, ChunkRequest.split("r1", greedy(prompts), 2, 0));
        Message<JsonObject> b1 = big.next();
        Message<JsonObject> b2 = big.next();
        Message<JsonObject> s1 = small.next();
        assertNull(big.requests.poll(200, TimeUnit.MILLISECONDS), "the fourth chunk waits for a free slot");
        small.answer(s1, 0);
        Message<JsonObject> s2 = small.next();
        big.answer(b1, 0);
        big.answer(b2, 0);
        small.answer(s2, 0);
        assertEquals(8, batch.future().get(10, TimeUnit.SECONDS).size());
    }

    @Test
    void aHedgedStragglerIsTakenFromWhicheverAnswersFirstAndOnlyOnce() throws Exception {
        ChunkDispatcher dispatcher = dispatcher(60_000, 0, true);
        ScriptedWorker slow = new ScriptedWorker("slow", 1);
        ScriptedWorker fast = new ScriptedWorker("fast", 1);
        dispatcher.add(slow.endpoint);
        CompletableFuture<List<Completion>> batch = submit(dispatcher, "r1");
        Message<JsonObject> straggler = slow.next();
        dispatcher.add(fast.endpoint);
        Message<JsonObject> other = fast.next();
        assertEquals(0, chunk(straggler));
        assertEquals(1, chunk(other));

        fast.answer(other, 0); // nothing queued, fast is idle: it gets a copy of the straggler
        Message<JsonObject> hedge = fast.next();
        assertEquals(0, chunk(hedge));
        fast.answer(hedge, 0);
        List<Completion> completions = batch.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("fast", "fast", "fast", "fast"), servedBy(completions));

        slow.answer(straggler, 0); // the original answers late: dropped
        assertEquals(completions, batch.get());
    }

    @Test
    void anAnswerOlderThanTheStalenessBoundIsRegeneratedWithTheNewWeights() throws Exception {
        ChunkDispatcher dispatcher = dispatcher(60_000, 0, false);
        ScriptedWorker worker = new ScriptedWorker("w", 2);
        dispatcher.add(worker.endpoint);
        CompletableFuture<List<Completion>> batch = submit(dispatcher, "r1");
        Message<JsonObject> c0 = worker.next();
        Message<JsonObject> c1 = worker.next();
        published.set(1); // weights published while both chunks were being generated with version 0
        worker.answer(c0, 0);
        worker.answer(c1, 0);
        Message<JsonObject> again0 = worker.next();
        Message<JsonObject> again1 = worker.next();
        assertEquals(1, again0.body().getLong("min_weights_version"), "the retry asks for the new weights");
        worker.answer(again0, 1);
        worker.answer(again1, 1);
        assertTrue(batch.get(10, TimeUnit.SECONDS).stream().allMatch(c -> c.weightsVersion() == 1));
    }

    @Test
    void anAnswerWithinTheStalenessBoundIsKept() throws Exception {
        ChunkDispatcher dispatcher = dispatcher(60_000, 1, false);
        ScriptedWorker worker = new ScriptedWorker("w", 2);
        dispatcher.add(worker.endpoint);
        CompletableFuture<List<Completion>> batch = submit(dispatcher, "r1");
        Message<JsonObject> c0 = worker.next();
        Message<JsonObject> c1 = worker.next();
        published.set(1);
        worker.answer(c0, 0);
        worker.answer(c1, 0);
        assertTrue(batch.get(10, TimeUnit.SECONDS).stream().allMatch(c -> c.weightsVersion() == 0));
    }

    @Test
    void aBatchWithNoWorkerForTheTimeoutFails() {
        ChunkDispatcher dispatcher = dispatcher(100, 0, false);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> submit(dispatcher, "r1").get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("no rollout worker in service"), e.getCause().getMessage());
        assertFalse(e.getCause().getMessage().isEmpty());
    }
}
