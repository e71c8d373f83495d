package dev.carrot.rollout;

import static dev.carrot.rollout.RolloutAssertions.assertCompletions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.generate.SamplingParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer and two worker processes on loopback; one worker is killed with SIGKILL while it serves a request.
 * Every batch still has exactly one completion per prompt, identical to direct generation, and the killed worker's
 * chunk is served by the other, long before the request would have timed out: the trainer sees the worker's cluster
 * node leave.
 */
class ClusterFaultsTest {

    private static final List<String> PROMPTS = TinyPolicy.PROMPTS; // 8 prompts: 4 chunks of 2
    private static final SamplingParams SAMPLED = SamplingParams.sampling(1.0, 8);
    private static final int CHUNK = 2;

    @TempDir
    Path dir;

    @Test
    void aWorkerKilledMidBatchIsReplacedAndEveryBatchIsWhole() throws Exception {
        ClusterOptions options = new ClusterOptions("test-" + ProcessHandle.current().pid(),
                ClusterOptions.DEFAULT_HOST, List.of(), 5901, 0, 0, dir.resolve("cluster.secret"), null, null);
        RolloutConfig config = new RolloutConfig(1, CHUNK, 120_000, 3);
        try (ClusterRolloutService trainer = ClusterRolloutService.start(TinyPolicy.policy(1), config, options,
                false);
                // doomed hangs on its request of batch r2 until it is killed, well within the request timeout
                WorkerProcess doomed = WorkerProcess.start(options, "doomed", "r2", 60_000);
                WorkerProcess survivor = WorkerProcess.start(options, "survivor", "none", 0)) {
            trainer.awaitWorkers(2, Duration.ofSeconds(60));

            List<Completion> first = trainer.generate(PROMPTS, SAMPLED, 5).get(60, TimeUnit.SECONDS);
            assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(1), PROMPTS, CHUNK, SAMPLED, 5),
                    first);
            assertEquals(Set.of("doomed", "survivor"), workers(first), "both workers served the first batch");

            trainer.publishWeights(TinyPolicy.parameters(2), 1);
            CompletableFuture<List<Completion>> second = trainer.generate(PROMPTS, SAMPLED, 6);
            int killedChunk = Integer.parseInt(doomed.awaitLine("serving r2 ", 60).split(" ")[2]);
            doomed.kill();
            List<Completion> completions = second.get(60, TimeUnit.SECONDS);
            assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(2), PROMPTS, CHUNK, SAMPLED, 6),
                    completions);
            assertTrue(completions.stream().allMatch(c -> c.weightsVersion() == 1));
            for (int i = killedChunk * CHUNK; i < (killedChunk + 1) * CHUNK; i++) {
                assertEquals("survivor", completions.get(i).worker(), "prompt " + i + " of the killed chunk");
            }

            List<Completion> third = trainer.generate(PROMPTS, SAMPLED, 7).get(60, TimeUnit.SECONDS);
            assertCompletions(PROMPTS, TinyPolicy.direct(TinyPolicy.parameters(2), PROMPTS, CHUNK, SAMPLED, 7),
                    third);
            assertEquals(Set.of("survivor"), workers(third));
        }
    }

    private static Set<String> workers(List<Completion> completions) {
        return completions.stream().map(Completion::worker).collect(Collectors.toSet());
    }
}
