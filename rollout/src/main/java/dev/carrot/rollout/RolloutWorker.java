package dev.carrot.rollout;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A rollout worker: a verticle that takes chunk requests on its event-bus address and answers each with its
 * completions, or with a failure naming the cause. It has one or more slots, each a {@link ChunkHandler} with its
 * own replica of the policy; a request is served on a free slot, on a thread of the deployment's worker pool, and
 * waits here while every slot is busy (the dispatcher sends at most one request per slot, so it waits only behind a
 * request the dispatcher gave up on). A slot serves one request at a time, which is what lets its replica swap
 * weights between requests without locks.
 */
final class RolloutWorker extends VerticleBase {

    private static final System.Logger LOG = System.getLogger(RolloutWorker.class.getName());

    private final String address;
    private final boolean clusterWide;
    private final Deque<ChunkHandler> idle;
    private final Deque<Message<JsonObject>> waiting = new ArrayDeque<>();

    /**
     * @param clusterWide whether requests may come from other processes of the cluster; otherwise the address is
     *                    local to this process, so that in-process workers of two trainers never meet
     */
    RolloutWorker(String address, boolean clusterWide, List<ChunkHandler> slots) {
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("a rollout worker needs at least one slot");
        }
        this.address = address;
        this.clusterWide = clusterWide;
        this.idle = new ArrayDeque<>(slots);
    }

    @Override
    public Future<?> start() {
        Handler<Message<JsonObject>> take = message -> {
            waiting.addLast(message);
            serveWaiting();
        };
        return (clusterWide ? vertx.eventBus().consumer(address, take) : vertx.eventBus().localConsumer(address, take))
                .completion();
    }

    /** On the verticle's event loop: starts waiting requests on idle slots. */
    private void serveWaiting() {
        while (!idle.isEmpty() && !waiting.isEmpty()) {
            ChunkHandler slot = idle.pollFirst();
            Message<JsonObject> message = waiting.pollFirst();
            vertx.executeBlocking(() -> slot.serve(RolloutMessages.decode(message.body(), ChunkRequest.class)), false)
                    .onComplete(served -> {
                        idle.addLast(slot);
                        if (served.succeeded()) {
                            message.reply(RolloutMessages.encode(served.result()));
                        } else {
                            LOG.log(System.Logger.Level.DEBUG, () -> address + " failed a request", served.cause());
                            message.fail(RolloutMessages.WORKER_FAILURE, describe(served.cause()));
                        }
                        serveWaiting();
                    });
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
