package dev.carrot.rollout;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Sends chunks to a changing set of workers and sees each chunk answered exactly once.
 *
 * <ul>
 *   <li><b>Capacity.</b> A worker has at most {@link WorkerEndpoint#capacity()} requests in flight, so a request's
 *       timeout measures its service time rather than time queued behind other chunks, a fast worker takes more
 *       chunks than a slow one, and a slow worker never holds more than its share of a batch (backpressure: the
 *       rest waits here, for whichever worker frees up first). Among free workers the one with most spare slots
 *       is chosen.</li>
 *   <li><b>Retries.</b> A failed chunk (failure reply, timeout, or its worker left the cluster) goes back to the
 *       front of the queue and is next sent to a worker that has tried it fewest times, waiting for such a worker
 *       rather than returning to one that already failed it. After {@code attempts} failures the chunk's batch
 *       fails and its other chunks are dropped.</li>
 *   <li><b>Membership.</b> Workers join with {@link #add} and leave with {@link #removeNode}; the requests a leaving
 *       worker had in flight are re-queued at once, not after their timeout. A batch that finds
 *       no worker at all for {@code timeout} fails.</li>
 *   <li><b>Exactly once.</b> A chunk's first valid answer is taken; a late answer (from a worker that timed out
 *       and then replied, or from a hedge) is dropped. Chunk k of a batch is generated with seed {@code seed + k}
 *       wherever it runs, so whichever answer wins, the batch is the same.</li>
 *   <li><b>Hedging</b> (if enabled). When nothing is queued and a worker is idle, a chunk still running on one
 *       worker only is also sent to the idle worker, and the first answer wins: a batch then waits for its fastest
 *       copy of a straggler instead of its slowest worker.</li>
 *   <li><b>Staleness.</b> A request asks for weights no older than {@code published - max_staleness} at the time it
 *       is sent; an answer whose weights are older than that bound when it arrives (weights were published while
 *       it was generated) is discarded and the chunk regenerated.</li>
 * </ul>
 *
 * <p>All state lives on one Vert.x context (an event loop): every entry point hops onto it, and reply handlers run
 * on it, so nothing here needs a lock. Batch futures complete on that event loop.
 */
final class ChunkDispatcher {

    private static final System.Logger LOG = System.getLogger(ChunkDispatcher.class.getName());

    /** A chunk on its way through its attempts. */
    private static final class PendingChunk {
        final RolloutBatch batch;
        ChunkRequest request; // its weights bound rises as weights are published
        final Map<String, Integer> triesPerWorker = new HashMap<>();
        final List<Attempt> running = new ArrayList<>(2);
        int failures;
        boolean hedged;

        PendingChunk(RolloutBatch batch, ChunkRequest request) {
            this.batch = batch;
            this.request = request;
        }

        int tries(String worker) {
            return triesPerWorker.getOrDefault(worker, 0);
        }

        /** Nothing more to do for it: its batch has its completions, or failed. */
        boolean settled() {
            return batch.done() || batch.answered(request);
        }
    }

    /** Someone waiting for {@code count} workers to be in service. */
    private record WorkerWaiter(int count, Promise<Void> ready) {}

    /** One request of a chunk to one worker. */
    private record Attempt(PendingChunk chunk, Lane lane, ChunkRequest request) {}

    /** A worker and the attempts it is serving. */
    private static final class Lane {
        final WorkerEndpoint worker;
        final Set<Attempt> running = new LinkedHashSet<>();
        long lastSent = -1; // in sends counted by the dispatcher; -1: never

        Lane(WorkerEndpoint worker) {
            this.worker = worker;
        }

        int spare() {
            return worker.capacity() - running.size();
        }
    }

    private final Context context;
    private final EventBus eventBus;
    private final DeliveryOptions delivery;
    private final DeliveryOptions localDelivery;
    private final long timeoutMillis;
    private final int attempts;
    private final long maxStaleness;
    private final boolean hedge;
    private final LongSupplier publishedVersion;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Deque<PendingChunk> queue = new ArrayDeque<>();
    private final Set<PendingChunk> inFlight = new LinkedHashSet<>(); // oldest first: the first to hedge
    private final List<WorkerWaiter> workerWaiters = new ArrayList<>();
    private long sends;
    private long noWorkersTimer = -1;
    private boolean closed;

    /**
     * @param context          the context to confine the dispatcher to
     * @param publishedVersion the latest published weights version, read on the context
     */
    ChunkDispatcher(Context context, RolloutConfig config, LongSupplier publishedVersion) {
        this.context = context;
        this.eventBus = context.owner().eventBus();
        this.delivery = new DeliveryOptions().setSendTimeout(config.timeoutMillis());
        this.localDelivery = new DeliveryOptions(delivery).setLocalOnly(true);
        this.timeoutMillis = config.timeoutMillis();
        this.attempts = config.attempts();
        this.maxStaleness = config.maxStaleness();
        this.hedge = config.hedge();
        this.publishedVersion = publishedVersion;
    }

    /** Takes {@code worker} into service, replacing a worker of the same name whose address changed. */
    void add(WorkerEndpoint worker) {
        context.runOnContext(ignored -> {
            Lane known = lanes.get(worker.name());
            if (known != null && known.worker.equals(worker)) {
                return;
            }
            if (known != null) {
                drop(known, "it registered again at " + worker.address());
            }
            lanes.put(worker.name(), new Lane(worker));
            if (noWorkersTimer >= 0) {
                context.owner().cancelTimer(noWorkersTimer);
                noWorkersTimer = -1;
            }
            workerWaiters.removeIf(w -> {
                if (lanes.size() >= w.count()) {
                    w.ready().tryComplete();
                    return true;
                }
                return false;
            });
            dispatch();
        });
    }

    /** Takes every worker on cluster node {@code node} out of service; their requests in flight go elsewhere now. */
    void removeNode(String node, String why) {
        context.runOnContext(ignored -> {
            List<Lane> gone = lanes.values().stream().filter(l -> l.worker.node().equals(node)).toList();
            gone.forEach(lane -> drop(lane, why));
            if (!gone.isEmpty()) {
                dispatch();
            }
        });
    }

    /** Completes once at least {@code count} workers are in service. */
    Future<Void> whenWorkers(int count) {
        Promise<Void> ready = Promise.promise();
        context.runOnContext(ignored -> {
            if (lanes.size() >= count) {
                ready.complete();
            } else {
                workerWaiters.add(new WorkerWaiter(count, ready));
            }
        });
        return ready.future();
    }

    /** The workers in service now. */
    Future<List<WorkerEndpoint>> workers() {
        Promise<List<WorkerEndpoint>> now = Promise.promise();
        context.runOnContext(ignored -> now.complete(lanes.values().stream().map(l -> l.worker).toList()));
        return now.future();
    }

    /** Queues every chunk of {@code batch}; the batch's future completes when all are answered or one gives up. */
    void submit(RolloutBatch batch, List<ChunkRequest> chunks) {
        context.runOnContext(ignored -> {
            if (closed) {
                batch.fail(new RolloutException("the rollout service is closed"));
                return;
            }
            for (ChunkRequest chunk : chunks) {
                queue.addLast(new PendingChunk(batch, chunk));
            }
            dispatch();
        });
    }

    /** Fails every unfinished batch; replies that arrive later are ignored. */
    Future<Void> close() {
        Promise<Void> closing = Promise.promise();
        context.runOnContext(ignored -> {
            closed = true;
            RolloutException e = new RolloutException("the rollout service closed before the batch finished");
            queue.forEach(chunk -> chunk.batch.fail(e));
            inFlight.forEach(chunk -> chunk.batch.fail(e));
            queue.clear();
            inFlight.clear();
            workerWaiters.forEach(w -> w.ready().tryFail(e));
            workerWaiters.clear();
            closing.complete();
        });
        return closing.future();
    }

    private void dispatch() {
        Iterator<PendingChunk> it = queue.iterator();
        while (it.hasNext() && anyFree()) {
            PendingChunk chunk = it.next();
            if (chunk.settled()) {
                it.remove();
                continue;
            }
            Lane lane = pick(chunk, fewestTries(chunk));
            if (lane != null) {
                it.remove();
                send(chunk, lane);
            }
        }
        if (hedge && queue.isEmpty()) {
            hedgeStragglers();
        }
        if (!queue.isEmpty() && lanes.isEmpty() && noWorkersTimer < 0) {
            noWorkersTimer = context.owner().setTimer(timeoutMillis, id -> {
                noWorkersTimer = -1;
                failQueued(new RolloutException("no rollout worker in service for " + timeoutMillis + " ms"));
            });
        }
    }

    private void hedgeStragglers() {
        for (PendingChunk chunk : List.copyOf(inFlight)) {
            if (!anyFree()) {
                return;
            }
            if (chunk.hedged || chunk.running.size() != 1 || chunk.settled()) {
                continue;
            }
            Lane lane = pick(chunk, 0); // only a worker that has not tried it
            if (lane != null) {
                chunk.hedged = true;
                LOG.log(System.Logger.Level.DEBUG, () -> "hedging " + chunk.request.describe() + " on "
                        + lane.worker.name());
                send(chunk, lane);
            }
        }
    }

    private int fewestTries(PendingChunk chunk) {
        return lanes.keySet().stream().mapToInt(chunk::tries).min().orElse(0);
    }

    /**
     * A free worker that tried {@code chunk} {@code tries} times: the one with most spare slots, and among those
     * the one that has waited longest for work, so that load spreads over equal workers. Null if none.
     */
    private Lane pick(PendingChunk chunk, int tries) {
        Lane best = null;
        for (Lane lane : lanes.values()) {
            if (lane.spare() > 0 && chunk.tries(lane.worker.name()) == tries && (best == null
                    || lane.spare() > best.spare()
                    || lane.spare() == best.spare() && lane.lastSent < best.lastSent)) {
                best = lane;
            }
        }
        return best;
    }

    private boolean anyFree() {
        return lanes.values().stream().anyMatch(l -> l.spare() > 0);
    }

    private void send(PendingChunk chunk, Lane lane) {
        chunk.request = chunk.request.needingAtLeast(publishedVersion.getAsLong() - maxStaleness);
        Attempt attempt = new Attempt(chunk, lane, chunk.request);
        lane.running.add(attempt);
        lane.lastSent = sends++;
        chunk.running.add(attempt);
        chunk.triesPerWorker.merge(lane.worker.name(), 1, Integer::sum);
        inFlight.add(chunk);
        eventBus.<JsonObject>request(lane.worker.address(), RolloutMessages.encode(attempt.request),
                        lane.worker.inProcess() ? localDelivery : delivery)
                .onComplete(reply -> {
                    if (closed || !end(attempt)) {
                        return; // its worker left, and the chunk was dealt with then
                    }
                    if (reply.succeeded()) {
                        answered(attempt, reply.result().body());
                    } else {
                        failed(attempt, describe(reply.cause()), reply.cause());
                    }
                    dispatch();
                });
    }

    /** Ends {@code attempt}, freeing its slot; false if it had already ended. */
    private boolean end(Attempt attempt) {
        if (!attempt.lane.running.remove(attempt)) {
            return false;
        }
        PendingChunk chunk = attempt.chunk;
        chunk.running.remove(attempt);
        if (chunk.running.isEmpty()) {
            inFlight.remove(chunk);
        }
        return true;
    }

    private void answered(Attempt attempt, JsonObject body) {
        PendingChunk chunk = attempt.chunk;
        if (chunk.batch.done()) {
            return;
        }
        String worker = attempt.lane.worker.name();
        ChunkResult result;
        try {
            result = RolloutMessages.decode(body, ChunkResult.class);
            long oldest = publishedVersion.getAsLong() - maxStaleness;
            if (result.weightsVersion() < oldest) {
                if (!chunk.settled()) {
                    LOG.log(System.Logger.Level.INFO, () -> "discarded " + chunk.request.describe() + " from "
                            + worker + ": weights version " + result.weightsVersion() + " is older than the "
                            + oldest + " allowed now; regenerating it");
                    requeue(chunk);
                }
                return;
            }
            if (!chunk.batch.accept(attempt.request, result)) {
                LOG.log(System.Logger.Level.DEBUG, () -> "dropped a second answer to " + chunk.request.describe()
                        + " from " + worker);
                return;
            }
        } catch (RuntimeException e) {
            failed(attempt, e.getMessage(), e);
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> chunk.request.describe() + " served by " + result.worker()
                + " with weights version " + result.weightsVersion());
    }

    private void failed(Attempt attempt, String cause, Throwable failure) {
        PendingChunk chunk = attempt.chunk;
        if (chunk.settled()) {
            return;
        }
        chunk.failures++;
        String worker = attempt.lane.worker.name();
        if (!chunk.running.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, () -> chunk.request.describe() + " failed on " + worker
                    + "; its hedge is still running: " + cause);
        } else if (chunk.failures < attempts) {
            LOG.log(System.Logger.Level.WARNING, () -> chunk.request.describe() + " failed on " + worker
                    + " (attempt " + chunk.failures + " of " + attempts + "), retrying: " + cause);
            queue.addFirst(chunk);
        } else {
            chunk.batch.fail(new RolloutException(chunk.request.describe() + " failed on all " + attempts
                    + " attempts; the last, on " + worker + ": " + cause, failure));
        }
    }

    /** Queues {@code chunk} again, unless another attempt at it is still running. */
    private void requeue(PendingChunk chunk) {
        if (chunk.running.isEmpty()) {
            queue.addFirst(chunk);
        }
    }

    private void drop(Lane lane, String why) {
        lanes.remove(lane.worker.name());
        LOG.log(System.Logger.Level.WARNING, () -> "worker " + lane.worker.name() + " left (" + why + "); "
                + lane.running.size() + " request(s) it was serving go to other workers");
        RolloutException left = new RolloutException("worker " + lane.worker.name() + " left: " + why);
        for (Attempt attempt : List.copyOf(lane.running)) {
            end(attempt);
            failed(attempt, left.getMessage(), left);
        }
    }

    private void failQueued(RolloutException e) {
        if (!lanes.isEmpty()) {
            return;
        }
        queue.forEach(chunk -> chunk.batch.fail(e));
        queue.clear();
    }

    private static String describe(Throwable failure) {
        if (failure instanceof ReplyException e) {
            return switch (e.failureType()) {
                case TIMEOUT -> "no reply in time (" + e.getMessage() + ")";
                case NO_HANDLERS -> "no worker listening (" + e.getMessage() + ")";
                default -> e.getMessage();
            };
        }
        return failure.toString();
    }
}
