package dev.carrot.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.json.JsonObject;

/**
 * The rollout protocol on the event bus: addresses, and every message as JSON. A message is a record
 * ({@link ChunkRequest}, {@link ChunkResult}, {@link WeightAnnouncement}, and the cluster's {@link Hello},
 * {@link Registration}, {@link Synced}) that Jackson writes with its components in snake case, carried as a
 * {@link JsonObject} so that the same protocol runs unchanged between processes on a clustered event bus. Weights
 * never travel in messages: a request names the oldest weights version it accepts, and a reply names the version it
 * was served with.
 *
 * <pre>
 * request: {"request_id": "r5", "chunk_index": 2, "first_prompt_index": 32, "min_weights_version": 3,
 *           "prompts": [{"prompt": "...", "seed": {"root": 44, "stream": 0},
 *                        "sampling": {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "max_new_tokens": 64,
 *                                     "stop": ["\n"], "alternatives": 0}}]}
 * reply:   {"request_id": "r5", "chunk_index": 2, "worker": "local-1", "weights_version": 3,
 *           "completions": [{"prompt_index": 32, "prompt": "...", "prompt_tokens": [...], "tokens": [...],
 *                            "logprobs": [...], "text": "...", "finish_reason": "EOS", "weights_version": 3,
 *                            "worker": "local-1", "alternatives": [{"tokens": [...], "logprobs": [...]}]}]}
 * </pre>
 *
 * A worker that cannot serve a request fails the message with {@link #WORKER_FAILURE} and a description of the cause.
 *
 * <p>In a cluster, the trainer and the workers of other processes also exchange:
 * <pre>
 * hello (trainer publishes every few seconds on {@value #HELLO}):  {"trainer": "&lt;node id&gt;"}
 * registration (worker sends to the trainer's "register" address):
 *     {"worker": {"name": "host-4242", "address": "carrot.rollout.worker.&lt;node&gt;", "capacity": 2,
 *      "node": "&lt;node id&gt;"}, "host": "10.0.0.7", "weights_version": 3}
 * announcement (trainer publishes on {@value #WEIGHTS} at each publication, and answers with the latest on its
 *     "weights" address): {"trainer": "&lt;node id&gt;", "url": "http://10.0.0.5:40123/weights/", "version": 3,
 *     "dir": "v3", "files": [{"name": "model.safetensors", "size": 123456, "sha256": "…"}, …]}
 * synced (worker sends to the trainer's "synced" address once it serves a new version):
 *     {"worker": "host-4242", "version": 3, "seconds": 0.21, "bytes": 123456}
 * </pre>
 */
final class RolloutMessages {

    /** Prefix of every worker's request address; a worker listens on {@code ADDRESS_PREFIX + "." + service + "." + worker}. */
    static final String ADDRESS_PREFIX = "carrot.rollout.generate";

    /** Where trainers announce themselves to workers. */
    static final String HELLO = "carrot.rollout.trainer.hello";

    /** Where trainers announce each published weights version. */
    static final String WEIGHTS = "carrot.rollout.weights";

    /** The failure code of a worker's failed reply. */
    static final int WORKER_FAILURE = 500;

    /**
     * Floats are written as floats (shortest text that reads back as the same float), so log-probs cross processes
     * bit for bit; a field a newer peer adds is ignored rather than failing the message.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A trainer's periodic announcement of itself, on {@link #HELLO}. */
    record Hello(String trainer) {}

    /** A cluster worker joining a trainer: its endpoint, its host, and the weights version it serves. */
    record Registration(WorkerEndpoint worker, String host, long weightsVersion) {}

    /** A cluster worker now serving weights {@code version}, fetched in {@code seconds}. */
    record Synced(String worker, long version, double seconds, long bytes) {}

    private RolloutMessages() {}

    /** The address on which worker {@code worker} of service {@code service} takes requests. */
    static String workerAddress(String service, String worker) {
        return ADDRESS_PREFIX + "." + service + "." + worker;
    }

    /** Address {@code what} ("register", "weights", "synced") of the trainer on node {@code trainer}. */
    static String trainerAddress(String trainer, String what) {
        return "carrot.rollout.trainer." + trainer + "." + what;
    }

    /** The address of the worker process on cluster node {@code node}. */
    static String clusterWorkerAddress(String node) {
        return "carrot.rollout.worker." + node;
    }

    /** A message record as the event bus carries it. */
    static JsonObject encode(Object message) {
        try {
            return new JsonObject(JSON.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** The message record of type {@code type} in {@code json}; a malformed message is a {@link RolloutException}. */
    static <T> T decode(JsonObject json, Class<T> type) {
        try {
            return JSON.readValue(json.encode(), type);
        } catch (JsonProcessingException e) {
            throw new RolloutException("malformed " + type.getSimpleName() + " message: " + e.getOriginalMessage(), e);
        }
    }
}
