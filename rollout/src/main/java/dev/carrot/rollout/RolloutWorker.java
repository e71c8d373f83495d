package dev.carrot.rollout;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * A rollout worker: a verticle that takes chunk requests on its event-bus address and answers each with its
 * completions, or with a failure naming the cause. Deployed as a worker verticle, so generation runs on a worker
 * thread and Vert.x hands it one message at a time; that is what lets its replica swap weights between requests
 * without locks.
 */
final class RolloutWorker extends VerticleBase {

    private static final System.Logger LOG = System.getLogger(RolloutWorker.class.getName());

    private final String address;
    private final ChunkHandler handler;

    RolloutWorker(String address, ChunkHandler handler) {
        this.address = address;
        this.handler = handler;
    }

    @Override
    public Future<?> start() {
        return vertx.eventBus().<JsonObject>consumer(address, this::serve).completion();
    }

    private void serve(Message<JsonObject> message) {
        ChunkResult result;
        try {
            result = handler.serve(RolloutMessages.decodeRequest(message.body()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> address + " failed a request", e);
            message.fail(RolloutMessages.WORKER_FAILURE, describe(e));
            return;
        }
        message.reply(RolloutMessages.encode(result));
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
