package dev.carrot.rollout;

import static dev.carrot.rollout.RolloutAssertions.assertCompletions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.generate.Generation;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.generate.Seed;
import dev.carrot.policy.model.GptParameters;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LocalRolloutServiceTest {

    private static final List<String> PROMPTS = TinyPolicy.PROMPTS.subList(0, 7); // not a multiple of the chunk size
    private static final SamplingParams SAMPLED = SamplingParams.sampling(1.0, 10);
    private static final SamplingParams GREEDY = SamplingParams.greedy(10);

    private static RolloutConfig config(int workers) {
        return new RolloutConfig(workers, 3, 60_000, 3);
    }

    @Test
    void oneCompletionPerPromptInOrderWhateverTheNumberOfWorkers() throws Exception {
        List<Generation> expected = TinyPolicy.direct(TinyPolicy.parameters(1), PROMPTS, 3, SAMPLED, 42);
        for (int workers : new int[] {1, 3}) {
            try (LocalRolloutService service = LocalRolloutService.start(TinyPolicy.policy(1), config(workers))) {
                List<Completion> completions = service.generate(PROMPTS, SAMPLED, 42).get();
                assertCompletions(PROMPTS, expected, completions);
                assertTrue(completions.stream().allMatch(c -> c.weightsVersion() == 0));
                assertTrue(service.workers().containsAll(completions.stream().map(Completion::worker).toList()));
            }
        }
    }

    @Test
    void greedyCompletionsAreThoseOfAGeneratorOnTheSameChunks() throws Exception {
        try (LocalRolloutService service = LocalRolloutService.start(TinyPolicy.policy(1), config(2))) {
            assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(1), PROMPTS, 3, GREEDY, 7),
                    service.generate(PROMPTS, GREEDY, 7).get());
        }
    }

    @Test
    void concurrentBatchesOnAGivenVertxEachGetTheirOwnCompletions() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (LocalRolloutService service = LocalRolloutService.start(vertx, TinyPolicy.policy(1), config(2))) {
            List<String> other = TinyPolicy.PROMPTS.subList(2, 8);
            CompletableFuture<List<Completion>> a = service.generate(PROMPTS, SAMPLED, 1);
            CompletableFuture<List<Completion>> b = service.generate(other, SAMPLED, 2);
            assertCompletions(other, TinyPolicy.direct(TinyPolicy.parameters(1), other, 3, SAMPLED, 2), b.get());
            assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(1), PROMPTS, 3, SAMPLED, 1), a.get());
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void aRequestWithItsOwnSeedGetsTheSameCompletionInAnyBatch() throws Exception {
        PromptRequest mine = new PromptRequest(PROMPTS.get(1), SAMPLED, new Seed(99, 0));
        try (LocalRolloutService service = LocalRolloutService.start(TinyPolicy.policy(1), config(2))) {
            Completion alone = service.generate(List.of(mine)).get().get(0);
            List<PromptRequest> crowd = List.of(new PromptRequest(PROMPTS.get(0), GREEDY, new Seed(1, 0)),
                    new PromptRequest(PROMPTS.get(2), SAMPLED, new Seed(99, 1)), mine,
                    new PromptRequest(PROMPTS.get(3), SamplingParams.sampling(0.5, 4), new Seed(3, 0)));
            Completion batched = service.generate(crowd).get().get(2);
            assertEquals(alone.text(), batched.text());
            assertArrayEquals(alone.tokens(), batched.tokens());
            assertArrayEquals(alone.logprobs(), batched.logprobs());
            assertEquals(2, batched.promptIndex());
        }
    }

    @Test
    void anEmptyBatchHasNoCompletions() throws Exception {
        try (LocalRolloutService service = LocalRolloutService.start(TinyPolicy.policy(1), config(1))) {
            assertEquals(List.of(), service.generate(List.of(), GREEDY, 0).get());
        }
    }

    @Test
    void batchesAfterAPublishUseTheNewWeights() throws Exception {
        GptParameters updated = TinyPolicy.parameters(2);
        try (LocalRolloutService service = LocalRolloutService.start(TinyPolicy.policy(1), config(2))) {
            List<Completion> before = service.generate(PROMPTS, GREEDY, 0).get();
            service.publishWeights(updated, 2);
            updated.zero(); // the service copied the weights when they were published
            assertEquals(2, service.publishedVersion());
            List<Completion> after = service.generate(PROMPTS, GREEDY, 0).get();

            assertTrue(after.stream().allMatch(c -> c.weightsVersion() == 2));
            assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(2), PROMPTS, 3, GREEDY, 0), after);
            assertNotEquals(texts(before), texts(after));
        }
    }

    @Test
    void publishedVersionsMustIncrease() {
        try (LocalRolloutService service = LocalRolloutService.start(TinyPolicy.policy(1), config(1))) {
            service.publishWeights(TinyPolicy.parameters(2), 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> service.publishWeights(TinyPolicy.parameters(3), 3));
            assertTrue(e.getMessage().contains("strictly increase"), e.getMessage());
            assertEquals(3, service.publishedVersion());
        }
    }

    @Test
    void aRequestInFlightDuringAPublishKeepsItsWeightsWithinTheStalenessBound() throws Exception {
        List<Completion> old = generateAcrossAPublish(1);
        assertTrue(old.stream().allMatch(c -> c.weightsVersion() == 0));
        assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(1), PROMPTS, 8, GREEDY, 0), old);
    }

    @Test
    void aRequestOverTakenByAPublishBeyondTheStalenessBoundIsRegenerated() throws Exception {
        List<Completion> regenerated = generateAcrossAPublish(0);
        assertTrue(regenerated.stream().allMatch(c -> c.weightsVersion() == 1));
        assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(2), PROMPTS, 8, GREEDY, 0), regenerated);
    }

    /** A batch whose first request is generated with version 0, then held back until version 1 is published. */
    private static List<Completion> generateAcrossAPublish(long maxStaleness) throws Exception {
        CountDownLatch served = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RolloutConfig config = new RolloutConfig(1, 8, 60_000, 1, maxStaleness, false);
        try (LocalRolloutService service = LocalRolloutService.start(Vertx.vertx(), true, TinyPolicy.policy(1),
                config, 1, (worker, replica) -> request -> {
                    ChunkResult result = replica.serve(request);
                    if (served.getCount() > 0) {
                        served.countDown();
                        await(release);
                    }
                    return result;
                })) {
            CompletableFuture<List<Completion>> inFlight = service.generate(PROMPTS, GREEDY, 0);
            served.await();
            service.publishWeights(TinyPolicy.parameters(2), 1);
            release.countDown();
            List<Completion> completions = inFlight.get();
            List<Completion> next = service.generate(PROMPTS, GREEDY, 0).get();
            assertTrue(next.stream().allMatch(c -> c.weightsVersion() == 1));
            assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(2), PROMPTS, 8, GREEDY, 0), next);
            return completions;
        } finally {
            release.countDown();
        }
    }

    @Test
    void aClosedServiceFailsNewBatches() {
        LocalRolloutService service = LocalRolloutService.start(TinyPolicy.policy(1), config(1));
        service.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> service.generate(PROMPTS, GREEDY, 0).get());
        assertTrue(e.getCause() instanceof RolloutException, e.getCause().toString());
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> texts(List<Completion> completions) {
        return completions.stream().map(Completion::text).collect(Collectors.toSet());
    }
}
