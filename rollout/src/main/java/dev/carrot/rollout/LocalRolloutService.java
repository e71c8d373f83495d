package dev.carrot.rollout;

import dev.carrot.policy.Policy;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.generate.Seed;
import dev.carrot.policy.model.GptParameters;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Rollout workers in this process: {@code config.workers()} worker verticles, each with its own replica of the
 * policy, fed by a {@link ChunkDispatcher} over the event bus. A batch is cut into chunks of
 * {@code config.chunkSize()} prompts, each generated on whichever worker is free with every prompt's own sampling
 * and seed; a retry reuses them, so results do not depend on the number of workers or on which served what. With
 * one seed for the batch, prompt i of chunk k samples from {@code Seed(seed + k, i)}: chunk k is what a
 * {@link dev.carrot.policy.generate.Generator} gives for the chunk's prompts with seed {@code seed + k}.
 *
 * <p>Weights reach the workers through a shared {@link WeightStore}, never through messages: each worker brings its
 * replica up to the latest published version before it starts a request. {@link ClusterRolloutService} builds on
 * this service, adding workers of other processes to its dispatcher.
 *
 * <p>Threads: each worker generates on a thread of the service's own worker pool; dispatching, and the completion
 * of the futures {@link #generate} returns, happen on one Vert.x event loop, so put heavy work chained on them on
 * another thread ({@code thenApplyAsync}, or {@code join()}). Matrix products go through ND4J's OpenBLAS, whose
 * OpenMP thread pool is per process, not per worker: W workers each running T BLAS threads want W·T cores, and on
 * a small machine they contend with each other and with the trainer ({@code OMP_NUM_THREADS} sets T).
 */
public final class LocalRolloutService implements RolloutService {

    private static final AtomicInteger SERVICES = new AtomicInteger();

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final List<String> deployments;
    private final List<String> workers;
    private final WeightStore weights;
    private final ChunkDispatcher dispatcher;
    private final int chunkSize;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalRolloutService(Vertx vertx, boolean ownsVertx, List<String> deployments, List<String> workers,
            WeightStore weights, ChunkDispatcher dispatcher, int chunkSize) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.deployments = deployments;
        this.workers = workers;
        this.weights = weights;
        this.dispatcher = dispatcher;
        this.chunkSize = chunkSize;
    }

    /**
     * Starts a Vert.x instance of its own, closed with the service, and deploys the workers on it, each with a copy
     * of {@code policy}'s current weights as version 0. Returns once every worker is listening.
     */
    public static LocalRolloutService start(Policy policy, RolloutConfig config) {
        return start(Vertx.vertx(), true, policy, config, config.workers(), (worker, replica) -> replica);
    }

    /** As {@link #start(Policy, RolloutConfig)}, on {@code vertx}, which the caller keeps and closes. */
    public static LocalRolloutService start(Vertx vertx, Policy policy, RolloutConfig config) {
        return start(vertx, false, policy, config, config.workers(), (worker, replica) -> replica);
    }

    /**
     * @param workers how many workers to deploy here, in place of {@code config.workers()}: a clustered trainer
     *                may run none of its own
     * @param serving wraps each worker's replica, given the worker's name; tests use it to make workers fail
     */
    static LocalRolloutService start(Vertx vertx, boolean ownsVertx, Policy policy, RolloutConfig config,
            int workers, BiFunction<String, ChunkHandler, ChunkHandler> serving) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(config, "config");
        String service = "s" + SERVICES.incrementAndGet();
        WeightStore weights = new WeightStore(policy.model().parameters(), 0);
        List<WorkerEndpoint> endpoints = new ArrayList<>();
        List<Future<String>> deploying = new ArrayList<>();
        if (workers > 0) {
            DeploymentOptions options = deploymentOptions("carrot-rollout-" + service, workers,
                    2 * config.timeoutMillis());
            for (int i = 1; i <= workers; i++) {
                String worker = "local-" + i;
                WorkerEndpoint endpoint = new WorkerEndpoint(worker, RolloutMessages.workerAddress(service, worker),
                        1, "");
                ChunkHandler replica = new PolicyReplica(worker, policy.config(), policy.tokenizer(), weights);
                endpoints.add(endpoint);
                RolloutWorker verticle = new RolloutWorker(endpoint.address(), false,
                        List.of(serving.apply(worker, replica)));
                deploying.add(vertx.deployVerticle(verticle, options));
            }
        }
        List<String> deployments;
        try {
            deployments = Future.all(deploying).await().list();
        } catch (Exception e) { // await() rethrows the deployment's failure as it is, checked or not
            for (Future<String> f : deploying) {
                if (f.succeeded()) {
                    vertx.undeploy(f.result());
                }
            }
            if (ownsVertx) {
                vertx.close();
            }
            throw new RolloutException("could not deploy " + workers + " rollout workers", e);
        }
        ChunkDispatcher dispatcher = new ChunkDispatcher(vertx.getOrCreateContext(), config,
                () -> weights.latest().version());
        endpoints.forEach(dispatcher::add);
        return new LocalRolloutService(vertx, ownsVertx, deployments,
                endpoints.stream().map(WorkerEndpoint::name).toList(), weights, dispatcher, config.chunkSize());
    }

    /**
     * How rollout workers are deployed: on a pool of their own with a thread per slot, so that a slot never waits
     * for a thread, and a long generation is only reported as blocking once it runs well past the request timeout.
     */
    static DeploymentOptions deploymentOptions(String pool, int slots, long maxServeMillis) {
        return new DeploymentOptions()
                .setWorkerPoolName(pool)
                .setWorkerPoolSize(slots)
                .setMaxWorkerExecuteTime(maxServeMillis)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS);
    }

    /** The names of this process's workers, e.g. {@code local-1}, as {@link Completion#worker()} reports them. */
    public List<String> workers() {
        return workers;
    }

    /** The dispatcher, to which a clustered service adds the workers of other processes. */
    ChunkDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public CompletableFuture<List<Completion>> generate(List<String> prompts, SamplingParams sampling, long seed) {
        Objects.requireNonNull(sampling, "sampling");
        List<PromptRequest> requests = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            requests.add(new PromptRequest(prompts.get(i), sampling, new Seed(seed + i / chunkSize, i % chunkSize)));
        }
        return generate(requests);
    }

    @Override
    public CompletableFuture<List<Completion>> generate(List<PromptRequest> requests) {
        List<PromptRequest> batch = List.copyOf(requests);
        String requestId = "r" + batches.incrementAndGet();
        RolloutBatch assembly = new RolloutBatch(requestId, batch.size());
        if (closed.get()) {
            assembly.fail(new RolloutException("the rollout service is closed"));
        } else if (!batch.isEmpty()) {
            dispatcher.submit(assembly, ChunkRequest.split(requestId, batch, chunkSize,
                    weights.latest().version()));
        }
        return assembly.future();
    }

    @Override
    public void publishWeights(GptParameters parameters, long version) {
        weights.publish(parameters, version);
    }

    @Override
    public long publishedVersion() {
        return weights.latest().version();
    }

    /**
     * Fails unfinished batches and undeploys the workers, waiting for requests they are serving to end; closes
     * Vert.x if the service started it.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        dispatcher.close().await();
        if (ownsVertx) {
            vertx.close().await();
        } else {
            Future.all(deployments.stream().map(vertx::undeploy).toList()).await();
        }
    }
}
