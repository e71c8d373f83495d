package dev.carrot.evaluation.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

final class JsonAssert {

    private JsonAssert() {}

    /** What the answer source asks a completions endpoint: greedy, one line, with the chosen tokens' logprobs. */
    static void greedyCompletionRequest(JsonObject body) {
        assertEquals("m", body.getString("model"));
        assertEquals(0.0, body.getDouble("temperature"));
        assertEquals(8, body.getInteger("max_tokens"));
        assertEquals(new JsonArray().add("\n"), body.getJsonArray("stop"));
        assertEquals(0, body.getInteger("logprobs"));
    }
}
