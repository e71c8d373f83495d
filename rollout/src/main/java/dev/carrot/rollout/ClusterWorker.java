package dev.carrot.rollout;

import dev.carrot.common.FileTrees;
import dev.carrot.policy.Policy;
import dev.carrot.policy.tensor.Matrix;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;

/**
 * A rollout worker process in the cluster ({@code carrot worker --cluster}). It starts without a model: when it hears
 * a trainer's hello it fetches that trainer's current weights (config, tokenizer and network), deploys a
 * {@link RolloutWorker} with {@code slots} replicas, and only then registers with the trainer, so that it never
 * serves before it has the weights. Each request names the oldest weights version it accepts; a slot that lacks it
 * fetches it first, and announcements of new versions are fetched ahead of requests. Every fetch is checked against
 * its announced SHA-256 ({@link WeightFetcher}) and reported to the trainer.
 *
 * <p>It serves one trainer at a time; when that trainer's node leaves, it drops its replicas and waits for the next
 * trainer's hello.
 */
public final class ClusterWorker implements AutoCloseable {

    /** Generations longer than this are reported as blocking the worker's thread. */
    private static final long MAX_SERVE_MILLIS = 30 * 60_000;
    /** Tries at fetching the current weights while the trainer keeps replacing them. */
    private static final int FETCH_ATTEMPTS = 5;
    private static final DeliveryOptions TO_TRAINER = new DeliveryOptions().setSendTimeout(60_000);
    private static final System.Logger LOG = System.getLogger(ClusterWorker.class.getName());

    /** Serving one trainer: the weights of this process's replicas, and their deployment. */
    private final class Session {
        final String trainer;
        final WeightStore weights;
        String deployment;

        Session(String trainer, WeightStore weights) {
            this.trainer = trainer;
            this.weights = weights;
        }

        /** Brings the replicas to at least {@code version}, asking the trainer for it; on a slot's thread. */
        synchronized void ensure(long version) {
            if (weights.latest().version() >= version) {
                return;
            }
            WeightFetcher.Fetched fetched = fetchCurrent(trainer);
            if (fetched.version() < version) {
                throw new IllegalStateException("the request needs weights version " + version
                        + " but the trainer's latest is " + fetched.version());
            }
            weights.publish(fetched.policy().model().parameters(), fetched.version());
            reportSynced(trainer, fetched);
        }

        /** Fetches an announced version ahead of the requests that will need it. */
        synchronized void offer(WeightAnnouncement announcement) {
            if (announcement.trainer().equals(trainer) && announcement.version() > weights.latest().version()) {
                install(announcement);
            }
        }

        private void install(WeightAnnouncement announcement) {
            WeightFetcher.Fetched fetched;
            try {
                fetched = fetcher.fetch(announcement);
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof WeightFetcher.VersionGone) {
                    return; // a newer version is out; its announcement, or the next request, brings it
                }
                throw e;
            }
            weights.publish(fetched.policy().model().parameters(), fetched.version());
            reportSynced(trainer, fetched);
        }
    }

    private final ClusterNode node;
    private final WeightFetcher fetcher;
    private final Path scratch;
    private final String name;
    private final String host;
    private final int slots;
    private final String address;
    private final UnaryOperator<ChunkHandler> serving;
    private Session session; // guarded by this
    private String joining; // the trainer a session is being opened with; guarded by this

    private ClusterWorker(ClusterNode node, WeightFetcher fetcher, Path scratch, String name, String host,
            int slots, UnaryOperator<ChunkHandler> serving) {
        this.node = node;
        this.fetcher = fetcher;
        this.scratch = scratch;
        this.name = name;
        this.host = host;
        this.slots = slots;
        this.serving = serving;
        this.address = RolloutMessages.clusterWorkerAddress(node.id());
    }

    /**
     * Joins the cluster and waits there for a trainer.
     *
     * @param name  how completions and the trainer's reports name this worker; unique in the cluster
     * @param slots requests served at the same time, each on its own replica of the policy
     */
    public static ClusterWorker start(ClusterOptions options, String name, int slots) {
        return start(options, name, slots, UnaryOperator.identity());
    }

    /** @param serving wraps each slot's handler; tests use it to slow workers down */
    static ClusterWorker start(ClusterOptions options, String name, int slots, UnaryOperator<ChunkHandler> serving) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots: expected at least 1, got " + slots);
        }
        ClusterSecret secret = ClusterSecret.loadOrCreate(options.secretFile());
        Path scratch;
        try {
            scratch = Files.createTempDirectory("carrot-worker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a download directory for weights", e);
        }
        WeightFetcher fetcher = new WeightFetcher(secret, options.tls(), options.weightsDir(), scratch);
        // Loading the engine's native libraries takes seconds: do it now, not when the first trainer is waiting.
        Matrix.zeros(1, 1);
        ClusterNode node = ClusterNode.join(options);
        ClusterWorker worker = new ClusterWorker(node, fetcher, scratch, name, options.host(), slots, serving);
        node.onLeft(worker::nodeLeft);
        node.vertx().eventBus().<JsonObject>consumer(RolloutMessages.WEIGHTS,
                message -> worker.announced(RolloutMessages.decode(message.body(), WeightAnnouncement.class)))
                .completion().await();
        node.vertx().eventBus().<JsonObject>consumer(RolloutMessages.HELLO,
                message -> worker.hello(RolloutMessages.decode(message.body(), RolloutMessages.Hello.class).trainer()))
                .completion().await();
        LOG.log(System.Logger.Level.INFO, () -> "worker " + name + " joined the rollout cluster as node " + node.id()
                + " with " + slots + " slot(s); waiting for a trainer");
        return worker;
    }

    public String name() {
        return name;
    }

    /** The trainer this worker serves, or null while it waits for one. */
    public synchronized String trainer() {
        return session == null ? null : session.trainer;
    }

    private synchronized void hello(String trainer) {
        if (session != null || joining != null) {
            return; // busy with a trainer: this one, or another, which must wait for it to leave
        }
        joining = trainer;
        node.vertx().executeBlocking(() -> open(trainer), false).onComplete(opened -> {
            synchronized (this) {
                joining = null;
                if (opened.succeeded()) {
                    session = opened.result();
                } else {
                    LOG.log(System.Logger.Level.WARNING, "could not start serving trainer " + trainer
                            + "; trying again at its next hello: " + opened.cause().getMessage(), opened.cause());
                }
            }
        });
    }

    /** Fetches the trainer's current weights, deploys the replicas, and registers; on a worker thread. */
    private Session open(String trainer) throws InterruptedException, ExecutionException {
        WeightFetcher.Fetched fetched = fetchCurrent(trainer);
        Policy policy = fetched.policy();
        Session opening = new Session(trainer, new WeightStore(policy.model().parameters(), fetched.version()));
        List<ChunkHandler> handlers = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            PolicyReplica replica = new PolicyReplica(name, policy.config(), policy.tokenizer(), opening.weights);
            handlers.add(serving.apply(request -> {
                opening.ensure(request.minWeightsVersion());
                return replica.serve(request);
            }));
        }
        opening.deployment = node.vertx().deployVerticle(new RolloutWorker(address, true, handlers),
                LocalRolloutService.deploymentOptions("carrot-worker", slots, MAX_SERVE_MILLIS))
                .toCompletionStage().toCompletableFuture().get();
        try {
            ask(trainer, "register", RolloutMessages.encode(new RolloutMessages.Registration(
                    new WorkerEndpoint(name, address, slots, node.id()), host, fetched.version())));
        } catch (RuntimeException e) {
            node.vertx().undeploy(opening.deployment);
            throw e;
        }
        reportSynced(trainer, fetched);
        LOG.log(System.Logger.Level.INFO, () -> "worker " + name + " serves trainer " + trainer
                + " with weights version " + fetched.version() + " (" + fetched.bytes() + " bytes fetched in "
                + String.format(java.util.Locale.ROOT, "%.2f", fetched.seconds()) + " s)");
        return opening;
    }

    /**
     * Fetches the trainer's current weights; if the trainer publishes faster than this worker fetches, so that
     * the version is dropped before it is fetched, asks again, a few times.
     */
    private WeightFetcher.Fetched fetchCurrent(String trainer) {
        for (int attempt = 1; ; attempt++) {
            WeightAnnouncement current = RolloutMessages.decode(ask(trainer, "weights", new JsonObject()),
                    WeightAnnouncement.class);
            try {
                return fetcher.fetch(current);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof WeightFetcher.VersionGone) || attempt == FETCH_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void announced(WeightAnnouncement announcement) {
        Session serving;
        synchronized (this) {
            serving = session;
        }
        if (serving != null) {
            node.vertx().executeBlocking(() -> {
                serving.offer(announcement);
                return null;
            }, true).onFailure(e -> LOG.log(System.Logger.Level.WARNING, "could not fetch announced weights version "
                    + announcement.version() + "; requests will fetch it: " + e.getMessage()));
        }
    }

    private synchronized void nodeLeft(String id) {
        if (session != null && session.trainer.equals(id)) {
            LOG.log(System.Logger.Level.INFO, () -> "trainer " + id + " left; waiting for the next one");
            node.vertx().undeploy(session.deployment);
            session = null;
        }
    }

    private void reportSynced(String trainer, WeightFetcher.Fetched fetched) {
        node.vertx().eventBus().send(RolloutMessages.trainerAddress(trainer, "synced"),
                RolloutMessages.encode(new RolloutMessages.Synced(name, fetched.version(), fetched.seconds(),
                        fetched.bytes())));
    }

    /** A request to the trainer, answered within a minute; blocking, so never on an event loop. */
    private JsonObject ask(String trainer, String what, JsonObject body) {
        try {
            return node.vertx().eventBus().<JsonObject>request(RolloutMessages.trainerAddress(trainer, what), body,
                    TO_TRAINER).toCompletionStage().toCompletableFuture().get().body();
        } catch (ExecutionException e) {
            throw new RolloutException("trainer " + trainer + " did not answer '" + what + "': "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while asking trainer " + trainer + " for '" + what + "'", e);
        }
    }

    /** Leaves the cluster and deletes downloaded weights. */
    @Override
    public void close() {
        node.close();
        try {
            FileTrees.deleteRecursively(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + scratch, e);
        }
    }
}
