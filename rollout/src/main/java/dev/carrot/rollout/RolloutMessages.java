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
 */
final class RolloutMessages {

    /** Prefix of every worker's request address; a worker listens on {@code ADDRESS_PREFIX + "." + service + "." + worker}. */
    static final String ADDRESS_PREFIX = "carrot.rollout.generate";

    /** The failure code of a worker's failed reply. */
    static final int WORKER_FAILURE = 500;

    private RolloutMessages() {}

    /** The address on which worker {@code worker} of service {@code service} takes requests. */
    static String workerAddress(String service, String worker) {
        return ADDRESS_PREFIX + "." + service + "." + worker;
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
