package dev.carrot.rollout;

import dev.carrot.policy.Policy;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.model.GptParameters;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trainer's side of the rollout cluster: a {@link LocalRolloutService} on a clustered Vert.x whose dispatcher
 * also feeds every {@link ClusterWorker} of the cluster.
 *
 * <ul>
 *   <li><b>Discovery.</b> The trainer says hello on the event bus every {@value #HELLO_EVERY_MS} ms; a worker that
 *       hears it (at start, or on joining mid-run) fetches the current weights and only then registers, with its
 *       capacity. A worker whose cluster node leaves (it stopped, was killed, or stopped answering heartbeats) is
 *       dropped and its requests in flight go to other workers at once.</li>
 *   <li><b>Weights.</b> Each published version is written as a policy checkpoint ({@link WeightPublisher}) and
 *       announced on the event bus with the size and SHA-256 of each file, never the bytes; workers fetch it from
 *       the trainer's HTTP endpoint ({@link WeightServer}, which wants the cluster secret) or from a shared
 *       directory, check it, and report it synced. Requests say which version they need, so a worker that missed
 *       an announcement fetches before it serves.</li>
 *   <li><b>Reporting.</b> Joins, leaves and retries are logged; every {@link Completion} names its worker and
 *       weights version.</li>
 * </ul>
 */
public final class ClusterRolloutService implements RolloutService {

    static final long HELLO_EVERY_MS = 2_000;
    /**
     * Versions kept for workers to fetch: the {@code max_staleness + 1} that requests may still need, and one more
     * for a worker caught fetching as the next is published; never more than this many, whatever the bound.
     */
    static final int MAX_KEPT_VERSIONS = 16;

    private static final System.Logger LOG = System.getLogger(ClusterRolloutService.class.getName());

    /** How a weights version reached the cluster's workers. */
    public record WeightSync(long version, int workers, double seconds, long bytes) {}

    private final ClusterNode node;
    private final LocalRolloutService local;
    private final WeightPublisher publisher;
    private final WeightServer server;
    private final long helloTimer;
    private final AtomicReference<WeightAnnouncement> latest = new AtomicReference<>();
    private final Map<Long, Long> publishedAt = new HashMap<>(); // version -> System.nanoTime(); guarded by this
    private final Map<String, Long> syncedVersion = new HashMap<>(); // worker -> version; guarded by this
    private final Map<String, Long> syncedAt = new HashMap<>(); // worker -> System.nanoTime(); guarded by this
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterRolloutService(ClusterNode node, LocalRolloutService local, WeightPublisher publisher,
            WeightServer server, GptParameters initial) {
        this.node = node;
        this.local = local;
        this.publisher = publisher;
        this.server = server;
        announce(initial, 0); // before any worker can ask for the weights
        Vertx vertx = node.vertx();
        vertx.eventBus().<JsonObject>consumer(RolloutMessages.trainerAddress(node.id(), "register"), message -> {
            JsonObject body = message.body();
            var registration = RolloutMessages.decode(body, RolloutMessages.Registration.class);
            WorkerEndpoint worker = registration.worker();
            local.dispatcher().add(worker);
            LOG.log(System.Logger.Level.INFO, () -> "worker " + worker.name() + " on " + registration.host()
                    + " joined: " + worker.capacity() + " slot(s), weights version " + registration.weightsVersion());
            message.reply(new JsonObject());
        }).completion().await();
        vertx.eventBus().<JsonObject>consumer(RolloutMessages.trainerAddress(node.id(), "weights"),
                message -> message.reply(RolloutMessages.encode(latest.get()))).completion().await();
        vertx.eventBus().<JsonObject>consumer(RolloutMessages.trainerAddress(node.id(), "synced"),
                message -> synced(message.body())).completion().await();
        node.onLeft(id -> local.dispatcher().removeNode(id, "its cluster node left"));
        JsonObject hello = RolloutMessages.encode(new RolloutMessages.Hello(node.id()));
        this.helloTimer = vertx.setPeriodic(0, HELLO_EVERY_MS, id -> vertx.eventBus().publish(RolloutMessages.HELLO,
                hello));
    }

    /**
     * Joins the cluster and starts serving rollouts with {@code policy}'s weights as version 0.
     *
     * @param localWorkers whether this process also runs {@code config.workers()} workers of its own
     */
    public static ClusterRolloutService start(Policy policy, RolloutConfig config, ClusterOptions options,
            boolean localWorkers) {
        Objects.requireNonNull(policy, "policy");
        ClusterSecret secret = ClusterSecret.loadOrCreate(options.secretFile());
        ClusterNode node = ClusterNode.join(options);
        LocalRolloutService local = null;
        WeightPublisher publisher = null;
        WeightServer server = null;
        try {
            local = LocalRolloutService.start(node.vertx(), false, policy, config,
                    localWorkers ? config.workers() : 0, (worker, replica) -> replica);
            boolean shared = options.weightsDir() != null;
            Path root = shared ? options.weightsDir() : Files.createTempDirectory("carrot-weights");
            Files.createDirectories(root);
            publisher = new WeightPublisher(root, !shared, policy.tokenizer(),
                    (int) Math.min(config.maxStaleness() + 2, MAX_KEPT_VERSIONS));
            server = WeightServer.start(node.vertx(), options, secret, publisher);
            ClusterRolloutService service = new ClusterRolloutService(node, local, publisher, server,
                    policy.model().parameters());
            LOG.log(System.Logger.Level.INFO, () -> "trainer joined the rollout cluster as node " + node.id()
                    + "; weights at " + service.server.url());
            return service;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (local != null) {
                local.close();
            }
            node.close();
            if (publisher != null) {
                publisher.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Waits until at least {@code count} workers, this process's own included, are in service.
     *
     * @throws RolloutException if they are not within {@code patience}, saying how to start workers
     */
    public void awaitWorkers(int count, Duration patience) {
        try {
            local.dispatcher().whenWorkers(count).toCompletionStage().toCompletableFuture()
                    .get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RolloutException("fewer than " + count + " rollout worker(s) joined within "
                    + patience.toSeconds() + " s; start some with `carrot worker --cluster` (same --members and"
                    + " secret file as this trainer)");
        } catch (ExecutionException e) {
            throw new RolloutException("stopped waiting for rollout workers: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while waiting for rollout workers", e);
        }
    }

    /**
     * Waits, at most {@code patience}, until every other member of the cluster is in service as a worker, so that a
     * run started beside running workers uses all of them from its first batch. Workers register only after fetching
     * the weights, which takes a moment; a member that is not a worker (another trainer) is waited for in vain, so
     * running short of patience only logs and goes on with the workers there are.
     */
    public void awaitClusterMembers(Duration patience) {
        int expected = local.workers().size() + node.otherMembers();
        try {
            awaitWorkers(expected, patience);
        } catch (RolloutException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "going on with " + workers().size() + " rollout worker(s): "
                    + e.getMessage());
        }
    }

    /** Where workers fetch weights: {@code weightsUrl() + "v<version>/<file>"}. */
    public String weightsUrl() {
        return server.url();
    }

    /** The names of the workers in service now, this process's own included. */
    public List<String> workers() {
        return local.dispatcher().workers().await().stream().map(WorkerEndpoint::name).toList();
    }

    /**
     * Waits until {@code workers} workers of other processes have synced {@code version} (or a newer one), and
     * returns how long that took from the call to {@link #publishWeights}.
     *
     * @throws RolloutException if they have not within {@code patience}
     */
    public synchronized WeightSync awaitSynced(long version, int workers, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            while (syncedVersion.values().stream().filter(v -> v >= version).count() < workers) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RolloutException(workers + " worker(s) had not synced weights version " + version
                            + " within " + patience.toSeconds() + " s; synced so far: " + syncedVersion);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while waiting for workers to sync weights", e);
        }
        long last = syncedVersion.entrySet().stream().filter(e -> e.getValue() >= version)
                .mapToLong(e -> syncedAt.get(e.getKey())).max().orElseThrow();
        Long start = publishedAt.get(version);
        return new WeightSync(version, workers, start == null ? Double.NaN : (last - start) / 1e9,
                latest.get().bytes());
    }

    @Override
    public CompletableFuture<List<Completion>> generate(List<String> prompts, SamplingParams sampling, long seed) {
        return local.generate(prompts, sampling, seed);
    }

    @Override
    public CompletableFuture<List<Completion>> generate(List<PromptRequest> requests) {
        return local.generate(requests);
    }

    /** As {@link RolloutService#publishWeights}; also writes the version for workers and announces it. */
    @Override
    public void publishWeights(GptParameters parameters, long version) {
        local.publishWeights(parameters, version);
        announce(parameters, version);
    }

    private void announce(GptParameters parameters, long version) {
        synchronized (this) {
            publishedAt.put(version, System.nanoTime());
        }
        WeightPublisher.Version written = publisher.publish(parameters, version);
        WeightAnnouncement announcement = new WeightAnnouncement(node.id(), server.url(), version, written.dir(),
                written.files());
        latest.set(announcement);
        node.vertx().eventBus().publish(RolloutMessages.WEIGHTS, RolloutMessages.encode(announcement));
    }

    private synchronized void synced(JsonObject body) {
        RolloutMessages.Synced message = RolloutMessages.decode(body, RolloutMessages.Synced.class);
        String worker = message.worker();
        long version = message.version();
        syncedVersion.merge(worker, version, Math::max);
        syncedAt.put(worker, System.nanoTime());
        LOG.log(System.Logger.Level.DEBUG, () -> "worker " + worker + " synced weights version " + version + " in "
                + message.seconds() + " s");
        notifyAll();
    }

    @Override
    public long publishedVersion() {
        return local.publishedVersion();
    }

    /** Fails unfinished batches, leaves the cluster, and deletes the weights it wrote. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        node.vertx().cancelTimer(helloTimer);
        local.close();
        server.close();
        node.close();
        publisher.close();
    }
}
