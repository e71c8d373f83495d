package dev.carrot.rollout;

import dev.carrot.policy.generate.Alternatives;
import dev.carrot.policy.generate.FinishReason;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.generate.Seed;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollout protocol on the event bus: addresses, and every message as JSON. Messages are plain
 * {@link JsonObject}s so that the same protocol runs unchanged between processes on a clustered event bus; within
 * one process Vert.x passes a copy of the object without serialising it. Weights never travel in messages: a request
 * names the oldest weights version it accepts, and a reply names the version it was served with.
 *
 * <pre>
 * request: {"request": "r5", "chunk": 2, "first_prompt": 32, "min_weights_version": 3,
 *           "prompts": [{"text": "...", "seed": 44, "stream": 0,
 *                        "sampling": {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "max_new_tokens": 64,
 *                                     "stop": ["\n"], "alternatives": 0}}]}
 * reply:   {"request": "r5", "chunk": 2, "worker": "local-1", "weights_version": 3,
 *           "completions": [{"prompt_index": 32, "prompt": "...", "prompt_tokens": [...], "tokens": [...],
 *                            "logprobs": [...], "text": "...", "finish_reason": "EOS",
 *                            "alternatives": [{"tokens": [...], "logprobs": [...]}]}]}
 * </pre>
 *
 * A worker that cannot serve a request fails the message with {@link #WORKER_FAILURE} and a description of the cause.
 *
 * <p>In a cluster, the trainer and the workers of other processes also exchange:
 * <pre>
 * hello (trainer publishes every few seconds on {@value #HELLO}):  {"trainer": "&lt;node id&gt;"}
 * registration (worker sends to the trainer's "register" address):
 *     {"name": "host-4242", "address": "carrot.rollout.worker.&lt;node&gt;", "capacity": 2, "node": "&lt;node id&gt;",
 *      "host": "10.0.0.7", "weights_version": 3}
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

    static JsonObject encodeRegistration(WorkerEndpoint worker, String host, long weightsVersion) {
        return new JsonObject()
                .put("name", worker.name())
                .put("address", worker.address())
                .put("capacity", worker.capacity())
                .put("node", worker.node())
                .put("host", host)
                .put("weights_version", weightsVersion);
    }

    static WorkerEndpoint decodeRegistration(JsonObject json) {
        return new WorkerEndpoint(json.getString("name"), json.getString("address"), json.getInteger("capacity"),
                json.getString("node"));
    }

    static JsonObject encode(WeightAnnouncement announcement) {
        JsonArray files = new JsonArray();
        for (WeightAnnouncement.File f : announcement.files()) {
            files.add(new JsonObject().put("name", f.name()).put("size", f.size()).put("sha256", f.sha256()));
        }
        return new JsonObject()
                .put("trainer", announcement.trainer())
                .put("url", announcement.url())
                .put("version", announcement.version())
                .put("dir", announcement.dir())
                .put("files", files);
    }

    static WeightAnnouncement decodeAnnouncement(JsonObject json) {
        List<WeightAnnouncement.File> files = new ArrayList<>();
        for (Object o : json.getJsonArray("files")) {
            JsonObject f = (JsonObject) o;
            files.add(new WeightAnnouncement.File(f.getString("name"), f.getLong("size"), f.getString("sha256")));
        }
        return new WeightAnnouncement(json.getString("trainer"), json.getString("url"), json.getLong("version"),
                json.getString("dir"), files);
    }

    static JsonObject encodeSynced(String worker, WeightFetcher.Fetched fetched) {
        return new JsonObject()
                .put("worker", worker)
                .put("version", fetched.version())
                .put("seconds", fetched.seconds())
                .put("bytes", fetched.bytes());
    }

    static JsonObject encode(ChunkRequest request) {
        JsonArray prompts = new JsonArray();
        for (PromptRequest prompt : request.prompts()) {
            prompts.add(new JsonObject()
                    .put("text", prompt.prompt())
                    .put("seed", prompt.seed().root())
                    .put("stream", prompt.seed().stream())
                    .put("sampling", encode(prompt.sampling())));
        }
        return new JsonObject()
                .put("request", request.requestId())
                .put("chunk", request.chunkIndex())
                .put("first_prompt", request.firstPromptIndex())
                .put("min_weights_version", request.minWeightsVersion())
                .put("prompts", prompts);
    }

    static ChunkRequest decodeRequest(JsonObject json) {
        List<PromptRequest> prompts = new ArrayList<>();
        for (Object o : json.getJsonArray("prompts")) {
            JsonObject prompt = (JsonObject) o;
            prompts.add(new PromptRequest(prompt.getString("text"), decodeSampling(prompt.getJsonObject("sampling")),
                    new Seed(prompt.getLong("seed"), prompt.getInteger("stream"))));
        }
        return new ChunkRequest(json.getString("request"), json.getInteger("chunk"), json.getInteger("first_prompt"),
                prompts, json.getLong("min_weights_version"));
    }

    static JsonObject encode(SamplingParams sampling) {
        return new JsonObject()
                .put("temperature", sampling.temperature())
                .put("top_k", sampling.topK())
                .put("top_p", sampling.topP())
                .put("max_new_tokens", sampling.maxNewTokens())
                .put("stop", new JsonArray(new ArrayList<Object>(sampling.stop())))
                .put("alternatives", sampling.alternatives());
    }

    static SamplingParams decodeSampling(JsonObject json) {
        List<String> stop = new ArrayList<>();
        for (Object s : json.getJsonArray("stop")) {
            stop.add((String) s);
        }
        return new SamplingParams(json.getDouble("temperature"), json.getInteger("top_k"), json.getDouble("top_p"),
                json.getInteger("max_new_tokens"), stop, json.getInteger("alternatives"));
    }

    static JsonObject encode(ChunkResult result) {
        JsonArray completions = new JsonArray();
        for (Completion c : result.completions()) {
            completions.add(new JsonObject()
                    .put("prompt_index", c.promptIndex())
                    .put("prompt", c.prompt())
                    .put("prompt_tokens", ints(c.promptTokens()))
                    .put("tokens", ints(c.tokens()))
                    .put("logprobs", floats(c.logprobs()))
                    .put("text", c.text())
                    .put("finish_reason", c.finishReason().name())
                    .put("alternatives", alternatives(c.alternatives())));
        }
        return new JsonObject()
                .put("request", result.requestId())
                .put("chunk", result.chunkIndex())
                .put("worker", result.worker())
                .put("weights_version", result.weightsVersion())
                .put("completions", completions);
    }

    static ChunkResult decodeResult(JsonObject json) {
        String worker = json.getString("worker");
        long version = json.getLong("weights_version");
        List<Completion> completions = new ArrayList<>();
        for (Object o : json.getJsonArray("completions")) {
            JsonObject c = (JsonObject) o;
            completions.add(new Completion(c.getInteger("prompt_index"), c.getString("prompt"),
                    ints(c.getJsonArray("prompt_tokens")), ints(c.getJsonArray("tokens")),
                    floats(c.getJsonArray("logprobs")), c.getString("text"),
                    FinishReason.valueOf(c.getString("finish_reason")), version, worker,
                    alternatives(c.getJsonArray("alternatives"))));
        }
        return new ChunkResult(json.getString("request"), json.getInteger("chunk"), worker, version, completions);
    }

    private static JsonArray alternatives(List<Alternatives> steps) {
        JsonArray array = new JsonArray();
        for (Alternatives step : steps) {
            array.add(new JsonObject().put("tokens", ints(step.tokens())).put("logprobs", floats(step.logprobs())));
        }
        return array;
    }

    private static List<Alternatives> alternatives(JsonArray array) {
        List<Alternatives> steps = new ArrayList<>(array.size());
        for (Object o : array) {
            JsonObject step = (JsonObject) o;
            steps.add(new Alternatives(ints(step.getJsonArray("tokens")), floats(step.getJsonArray("logprobs"))));
        }
        return steps;
    }

    private static JsonArray ints(int[] values) {
        JsonArray array = new JsonArray(new ArrayList<>(values.length));
        for (int v : values) {
            array.add(v);
        }
        return array;
    }

    private static int[] ints(JsonArray array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.getInteger(i);
        }
        return values;
    }

    /** Floats stay floats: a JSON number written from a float reads back as that same float. */
    private static JsonArray floats(float[] values) {
        JsonArray array = new JsonArray(new ArrayList<>(values.length));
        for (float v : values) {
            array.add(v);
        }
        return array;
    }

    private static float[] floats(JsonArray array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.getFloat(i);
        }
        return values;
    }
}
