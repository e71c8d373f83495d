package dev.carrot.rollout;

import static dev.carrot.rollout.RolloutAssertions.assertCompletions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.generate.SamplingParams;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Workers that fail or hang: chunks are retried elsewhere, and batches come out whole or fail clearly. */
class RolloutFaultsTest {

    private static final List<String> PROMPTS = TinyPolicy.PROMPTS.subList(0, 7);
    private static final SamplingParams SAMPLED = SamplingParams.sampling(1.0, 8);

    private static LocalRolloutService start(RolloutConfig config,
            BiFunction<String, ChunkHandler, ChunkHandler> serving) {
        return LocalRolloutService.start(Vertx.vertx(), true, TinyPolicy.policy(1), config, config.workers(), serving);
    }

    @Test
    void chunksThatFailAreRetriedAndTheBatchIsWhole() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        List<String> failedOn = Collections.synchronizedList(new ArrayList<>());
        RolloutConfig config = new RolloutConfig(2, 2, 60_000, 3);
        try (LocalRolloutService service = start(config, (worker, replica) -> request -> {
            if (requests.incrementAndGet() <= 2) {
                failedOn.add(worker);
                throw new IllegalStateException("injected failure");
            }
            return replica.serve(request);
        })) {
            List<Completion> completions = service.generate(PROMPTS, SAMPLED, 5).get();
            assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(1), PROMPTS, 2, SAMPLED, 5),
                    completions);
            assertEquals(4 + 2, requests.get(), "4 chunks, 2 of them twice");
            assertEquals(2, failedOn.size());
        }
    }

    @Test
    void aWorkerThatDoesNotAnswerInTimeIsReplacedByAnother() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        String[] hung = new String[1];
        RolloutConfig config = new RolloutConfig(2, 8, 1_000, 2);
        try (LocalRolloutService service = start(config, (worker, replica) -> request -> {
            if (requests.incrementAndGet() == 1) {
                hung[0] = worker;
                LocalRolloutServiceTest.await(release); // stuck until the test ends
            }
            return replica.serve(request);
        })) {
            try {
                List<Completion> completions = service.generate(PROMPTS, SAMPLED, 5).get();
                assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(1), PROMPTS, 8, SAMPLED, 5),
                        completions);
                assertTrue(completions.stream().noneMatch(c -> c.worker().equals(hung[0])), hung[0]);
                assertEquals(2, requests.get());
            } finally {
                release.countDown(); // before close, which waits for the worker's request to end
            }
        }
    }

    @Test
    void aChunkThatFailsEveryAttemptFailsTheBatchNamingTheChunkAndCause() {
        List<String> prompts = new ArrayList<>(PROMPTS);
        prompts.set(3, "The capital of Varnelia is Tolmar. ".repeat(8)); // longer than the 48-token context
        AtomicInteger requests = new AtomicInteger();
        List<String> triedOn = Collections.synchronizedList(new ArrayList<>());
        RolloutConfig config = new RolloutConfig(2, 2, 60_000, 3);
        try (LocalRolloutService service = start(config, (worker, replica) -> request -> {
            requests.incrementAndGet();
            if (request.chunkIndex() == 1) {
                triedOn.add(worker);
            }
            return replica.serve(request);
        })) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> service.generate(prompts, SAMPLED, 5).get());
            assertTrue(e.getCause() instanceof RolloutException, e.getCause().toString());
            String message = e.getCause().getMessage();
            assertTrue(message.contains("chunk 1 (prompts 2..3)"), message);
            assertTrue(message.contains("all 3 attempts"), message);
            assertTrue(message.contains("prompt 1 has"), message);
            assertEquals(3, triedOn.size());
            assertNotEquals(triedOn.get(0), triedOn.get(1), "a retry goes to another worker");
        }
    }
}
