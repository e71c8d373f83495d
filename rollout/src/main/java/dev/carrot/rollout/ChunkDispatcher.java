package dev.carrot.rollout;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Sends chunks to workers and retries the ones that fail. Each worker has at most one request in flight, so a
 * request's timeout measures its service time rather than time spent queued behind other chunks, and a fast worker
 * takes more chunks than a slow one. A failed chunk goes back to the front of the queue and is next sent to a
 * worker that has tried it fewest times, waiting for such a worker to become free rather than returning to one
 * that already failed it. After {@code attempts} failures the chunk's batch fails and its other chunks are dropped.
 *
 * <p>All state lives on one Vert.x context (an event loop): {@link #submit} and {@link #close} hop onto it, and
 * reply handlers run on it, so nothing here needs a lock. Batch futures complete on that event loop.
 */
final class ChunkDispatcher {

    private static final System.Logger LOG = System.getLogger(ChunkDispatcher.class.getName());

    /** A chunk on its way through its attempts. */
    private static final class PendingChunk {
        final RolloutBatch batch;
        final ChunkRequest request;
        final int[] triesPerWorker;
        int tries;

        PendingChunk(RolloutBatch batch, ChunkRequest request, int workers) {
            this.batch = batch;
            this.request = request;
            this.triesPerWorker = new int[workers];
        }

        /** A free worker among those that tried this chunk fewest times, or -1 if all of those are busy. */
        int pickWorker(PendingChunk[] inFlight) {
            int fewest = Arrays.stream(triesPerWorker).min().orElseThrow();
            for (int w = 0; w < inFlight.length; w++) {
                if (inFlight[w] == null && triesPerWorker[w] == fewest) {
                    return w;
                }
            }
            return -1;
        }
    }

    private final Context context;
    private final EventBus eventBus;
    private final List<String> workers;
    private final List<String> addresses;
    private final DeliveryOptions delivery;
    private final int attempts;
    private final PendingChunk[] inFlight; // per worker, null when it is free
    private final Deque<PendingChunk> queue = new ArrayDeque<>();
    private boolean closed;

    /**
     * @param context   the context to confine the dispatcher to
     * @param workers   worker names, for messages
     * @param addresses the workers' event-bus addresses, in the same order
     */
    ChunkDispatcher(Context context, List<String> workers, List<String> addresses, RolloutConfig config) {
        this.context = context;
        this.eventBus = context.owner().eventBus();
        this.workers = List.copyOf(workers);
        this.addresses = List.copyOf(addresses);
        this.delivery = new DeliveryOptions().setSendTimeout(config.timeoutMillis());
        this.attempts = config.attempts();
        this.inFlight = new PendingChunk[workers.size()];
    }

    /** Queues every chunk of {@code batch}; the batch's future completes when all are answered or one gives up. */
    void submit(RolloutBatch batch, List<ChunkRequest> chunks) {
        context.runOnContext(ignored -> {
            if (closed) {
                batch.fail(new RolloutException("the rollout service is closed"));
                return;
            }
            for (ChunkRequest chunk : chunks) {
                queue.addLast(new PendingChunk(batch, chunk, workers.size()));
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
            for (PendingChunk chunk : queue) {
                chunk.batch.fail(e);
            }
            for (PendingChunk chunk : inFlight) {
                if (chunk != null) {
                    chunk.batch.fail(e);
                }
            }
            queue.clear();
            closing.complete();
        });
        return closing.future();
    }

    private void dispatch() {
        Iterator<PendingChunk> it = queue.iterator();
        while (it.hasNext() && anyFree()) {
            PendingChunk chunk = it.next();
            if (chunk.batch.done()) { // its batch already failed
                it.remove();
                continue;
            }
            int worker = chunk.pickWorker(inFlight);
            if (worker >= 0) {
                it.remove();
                send(chunk, worker);
            }
        }
    }

    private boolean anyFree() {
        for (PendingChunk chunk : inFlight) {
            if (chunk == null) {
                return true;
            }
        }
        return false;
    }

    private void send(PendingChunk chunk, int worker) {
        inFlight[worker] = chunk;
        chunk.triesPerWorker[worker]++;
        chunk.tries++;
        eventBus.<JsonObject>request(addresses.get(worker), RolloutMessages.encode(chunk.request), delivery)
                .onComplete(reply -> {
                    inFlight[worker] = null;
                    if (!closed) {
                        answered(chunk, worker, reply);
                        dispatch();
                    }
                });
    }

    private void answered(PendingChunk chunk, int worker, AsyncResult<Message<JsonObject>> reply) {
        if (chunk.batch.done()) {
            return;
        }
        Throwable failure = reply.cause();
        if (reply.succeeded()) {
            try {
                ChunkResult result = RolloutMessages.decodeResult(reply.result().body());
                chunk.batch.accept(chunk.request, result);
                LOG.log(System.Logger.Level.DEBUG, () -> chunk.request.describe() + " served by " + result.worker()
                        + " with weights version " + result.weightsVersion());
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        String cause = describe(failure);
        if (chunk.tries < attempts) {
            LOG.log(System.Logger.Level.WARNING, () -> chunk.request.describe() + " failed on " + workers.get(worker)
                    + " (attempt " + chunk.tries + " of " + attempts + "), retrying: " + cause);
            queue.addFirst(chunk);
        } else {
            chunk.batch.fail(new RolloutException(chunk.request.describe() + " failed on all " + attempts
                    + " attempts; the last, on " + workers.get(worker) + ": " + cause, failure));
        }
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
