package dev.carrot.cli;

import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.rollout.LocalRolloutService;
import dev.carrot.rollout.RolloutConfig;
import dev.carrot.rollout.serve.OpenAiServer;
import dev.carrot.rollout.serve.ServeConfig;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a policy checkpoint over OpenAI's HTTP API (GET /v1/models, POST /v1/completions,"
                + " POST /v1/chat/completions) until interrupted.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "policy checkpoint")
    Path model;

    @Option(names = "--model-name", paramLabel = "NAME",
            description = "the model's id in requests; default: the checkpoint folder's name")
    String modelName;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to bind (default: loopback only; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "0 picks a free port, printed at start")
    int port;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "file holding the key clients must send as Authorization: Bearer KEY")
    Path apiKeyFile;

    @Option(names = "--workers", defaultValue = "2", description = "rollout workers generating in parallel")
    int workers;

    @Option(names = "--batch-size", defaultValue = "16", description = "prompts per worker request")
    int batchSize;

    @Option(names = "--max-concurrent", defaultValue = "64", description = "requests answered at once; more get 429")
    int maxConcurrent;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "larger request bodies get 413")
    int maxBodyBytes;

    @Option(names = "--max-n", defaultValue = "16", description = "most choices a request may ask for")
    int maxChoices;

    @Option(names = "--timeout-seconds", defaultValue = "120", description = "limit on one request; then 504")
    long timeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        Policy policy = PolicyCheckpoint.load(model, new JavaKernels());
        String name = modelName != null ? modelName : model.toAbsolutePath().normalize().getFileName().toString();
        ServeConfig config = ServeConfig.defaults(name).withAddress(host, port)
                .withApiKey(ApiKeyFile.read(apiKeyFile))
                .withLimits(maxBodyBytes, maxChoices, maxConcurrent, timeoutSeconds * 1000);
        RolloutConfig rollout = new RolloutConfig(workers, batchSize, timeoutSeconds * 1000,
                RolloutConfig.defaults().attempts());
        Vertx vertx = Vertx.vertx();
        Thread hook = new Thread(this::stop, "carrot-serve-shutdown");
        try (LocalRolloutService rollouts = LocalRolloutService.start(vertx, policy, rollout);
                OpenAiServer server = OpenAiServer.start(vertx, rollouts, policy.tokenizer(),
                        policy.config().contextLength(), config)) {
            Runtime.getRuntime().addShutdownHook(hook);
            PrintWriter out = spec.commandLine().getOut();
            out.println("serving " + name + " at " + server.baseUrl()
                    + (config.apiKey() == null ? " (no API key)" : " (API key required)"));
            out.flush();
            stop.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // the JVM is already shutting down, or the hook was never added
            }
            vertx.close().await();
        }
        return 0;
    }

    /** Ends {@link #call}: the server stops and the workers close. */
    void stop() {
        stop.countDown();
    }
}
