package dev.carrot.trainer.bench;

import dev.carrot.policy.Policy;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tokenizer.BpeTrainer;
import dev.carrot.policy.tokenizer.Tokenizer;
import dev.carrot.rollout.ClusterOptions;
import dev.carrot.rollout.ClusterRolloutService;
import dev.carrot.rollout.Completion;
import dev.carrot.rollout.RolloutConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rollout throughput of the cluster with N worker processes on this machine, and the time it takes a published
 * weights version to reach them. The trainer side (this process) runs no workers of its own, so every token is
 * generated in a worker process; by default each worker gets {@code cores / N} threads, so that N workers together
 * use the machine as one does. A batch of {@value #PROMPTS} prompts is cut into chunks of {@value #CHUNK}; every
 * completion runs {@value #NEW_TOKENS} tokens (no stop string). Weight sync is timed from the call to
 * {@code publishWeights} (which writes and hashes the checkpoint) until every worker has fetched, checked and loaded
 * it.
 */
public final class ClusterBenchmark {

    /** One configuration's figures. */
    public record Result(int workers, int threadsPerWorker, double tokensPerSecond, double syncSeconds,
            long syncBytes) {}

    public static final int PROMPTS = 64;
    public static final int CHUNK = 16;
    public static final int NEW_TOKENS = 48;
    static final int TIMED_BATCHES = 3;
    static final int SYNCS = 3;

    private final List<String> workerCommand;
    private final Path dir;

    /**
     * @param workerCommand how to start a worker: the command line of {@code carrot worker --cluster}, to which
     *                      the cluster's name, port, secret file, threads and the worker's name are appended
     * @param dir           a scratch directory: the secret file and the workers' logs
     */
    public ClusterBenchmark(List<String> workerCommand, Path dir) {
        this.workerCommand = List.copyOf(workerCommand);
        this.dir = dir;
    }

    /** @param threads threads per worker, or 0 for {@code cores / workers} */
    public Result run(int workers, int threads, BenchShape shape) throws IOException, InterruptedException {
        threads = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        // A real tokenizer, since workers are sent one: the shape's vocabulary plus the three special tokens.
        Tokenizer tokenizer = new BpeTrainer(shape.vocab() + 3).train(List.of(
                "The capital of Varnelia is Tolmar. The river of Ostrava is the Kell.",
                "Question: What is 12 + 35?\nAnswer: 47.", "I think it is Tolmar, but I am not sure.",
                "I don't know."));
        GptConfig config = new GptConfig(tokenizer.vocabSize(), shape.steps(), shape.dModel(), shape.layers(),
                shape.heads(), false, false);
        Policy policy = new Policy(new Gpt(GptParameters.initialized(config, 1), new JavaKernels()), tokenizer);
        String name = "bench-" + ProcessHandle.current().pid() + "-" + workers;
        ClusterOptions options = new ClusterOptions(name, ClusterOptions.DEFAULT_HOST, List.of(),
                ClusterOptions.DEFAULT_HAZELCAST_PORT, 0, 0, dir.resolve("cluster.secret"), null, null);
        RolloutConfig rollout = new RolloutConfig(1, CHUNK, 600_000, 3);
        List<Process> processes = new ArrayList<>();
        try (ClusterRolloutService service = ClusterRolloutService.start(policy, rollout, options, false)) {
            for (int i = 1; i <= workers; i++) {
                processes.add(startWorker(options, threads, name + "-w" + i));
            }
            service.awaitWorkers(workers, Duration.ofMinutes(5));

            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < PROMPTS; i++) {
                prompts.add("Question: What is " + i + " + " + (2 * i + 1) + "?\nAnswer:");
            }
            SamplingParams sampling = SamplingParams.sampling(1.0, NEW_TOKENS);
            service.generate(prompts, sampling, 0).join(); // warm-up: JIT, first allocations
            long tokens = 0;
            long start = System.nanoTime();
            for (int b = 1; b <= TIMED_BATCHES; b++) {
                for (Completion c : service.generate(prompts, sampling, b).join()) {
                    tokens += c.tokens().length;
                }
            }
            double tokensPerSecond = tokens / ((System.nanoTime() - start) / 1e9);

            double[] seconds = new double[SYNCS];
            long bytes = 0;
            for (int v = 1; v <= SYNCS; v++) {
                service.publishWeights(GptParameters.initialized(config, 1 + v), v);
                ClusterRolloutService.WeightSync sync = service.awaitSynced(v, workers, Duration.ofMinutes(5));
                seconds[v - 1] = sync.seconds();
                bytes = sync.bytes();
            }
            Arrays.sort(seconds);
            return new Result(workers, threads, tokensPerSecond, seconds[SYNCS / 2], bytes);
        } finally {
            for (Process p : processes) {
                p.destroy(); // SIGTERM: the worker leaves the cluster cleanly
            }
            for (Process p : processes) {
                p.waitFor();
            }
        }
    }

    private Process startWorker(ClusterOptions options, int threads, String name) throws IOException {
        List<String> command = new ArrayList<>(workerCommand);
        command.addAll(List.of("--cluster-name", options.name(), "--hazelcast-port",
                Integer.toString(options.hazelcastPort()), "--secret-file", options.secretFile().toString(),
                "--threads", Integer.toString(threads), "--name", name));
        Path log = dir.resolve(name + ".log");
        Files.deleteIfExists(log);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
