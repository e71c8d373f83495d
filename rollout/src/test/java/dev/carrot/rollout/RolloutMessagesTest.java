package dev.carrot.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.generate.Alternatives;
import dev.carrot.policy.generate.FinishReason;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.generate.Seed;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages survive the trip between processes: encoded to JSON text and parsed back. */
class RolloutMessagesTest {

    private static JsonObject overTheWire(JsonObject json) {
        return new JsonObject(json.encode());
    }

    @Test
    void samplingParamsRoundTrip() {
        SamplingParams sampling = new SamplingParams(0.7, 40, 0.95, 64, List.of("\n", "Question:"), 5);
        assertEquals(sampling, RolloutMessages.decode(overTheWire(RolloutMessages.encode(sampling)), SamplingParams.class));
        SamplingParams greedy = SamplingParams.greedy(3);
        assertEquals(greedy, RolloutMessages.decode(overTheWire(RolloutMessages.encode(greedy)), SamplingParams.class));
    }

    @Test
    void requestsRoundTrip() {
        ChunkRequest request = new ChunkRequest("r7", 2, 32, List.of(
                new PromptRequest("Question: é?\n", SamplingParams.sampling(1.0, 16), new Seed(Long.MAX_VALUE - 1, 0)),
                new PromptRequest("I", SamplingParams.greedy(3).withStop(List.of("\n")), new Seed(-5, 7))), 4);
        assertEquals(request, RolloutMessages.decode(overTheWire(RolloutMessages.encode(request)), ChunkRequest.class));
    }

    @Test
    void resultsRoundTripExactly() {
        Completion c = new Completion(32, "Question: é?\n", new int[] {1, 40, 41}, new int[] {7, 2},
                new float[] {-0.1f, -12.345678f}, "x", FinishReason.EOS, 4, "local-2",
                List.of(new Alternatives(new int[] {7, 9}, new float[] {-0.1f, -2.5f}),
                        new Alternatives(new int[] {2, 7}, new float[] {-12.345678f, -13f})));
        ChunkResult result = new ChunkResult("r7", 2, "local-2", 4, List.of(c));
        ChunkResult back = RolloutMessages.decode(overTheWire(RolloutMessages.encode(result)), ChunkResult.class);
        assertEquals("r7", back.requestId());
        assertEquals(2, back.chunkIndex());
        assertEquals("local-2", back.worker());
        assertEquals(4, back.weightsVersion());
        Completion d = back.completions().get(0);
        assertEquals(c.promptIndex(), d.promptIndex());
        assertEquals(c.prompt(), d.prompt());
        assertArrayEquals(c.promptTokens(), d.promptTokens());
        assertArrayEquals(c.tokens(), d.tokens());
        assertArrayEquals(c.logprobs(), d.logprobs());
        assertEquals(c.text(), d.text());
        assertEquals(c.finishReason(), d.finishReason());
        assertEquals(c.weightsVersion(), d.weightsVersion());
        assertEquals(c.worker(), d.worker());
        assertEquals(2, d.alternatives().size());
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(c.alternatives().get(t).tokens(), d.alternatives().get(t).tokens());
            assertArrayEquals(c.alternatives().get(t).logprobs(), d.alternatives().get(t).logprobs());
        }
    }

    @Test
    void clusterMessagesRoundTrip() {
        var registration = new RolloutMessages.Registration(new WorkerEndpoint("host-1", "carrot.rollout.worker.n1", 2,
                "n1"), "10.0.0.7", 3);
        assertEquals(registration, RolloutMessages.decode(overTheWire(RolloutMessages.encode(registration)),
                RolloutMessages.Registration.class));
        var announcement = new WeightAnnouncement("n0", "http://127.0.0.1:1/weights/", 3, "v3",
                List.of(new WeightAnnouncement.File("model.safetensors", 123456, "ab12")));
        assertEquals(announcement, RolloutMessages.decode(overTheWire(RolloutMessages.encode(announcement)),
                WeightAnnouncement.class));
        var synced = new RolloutMessages.Synced("host-1", 3, 0.21, 123456);
        assertEquals(synced, RolloutMessages.decode(overTheWire(RolloutMessages.encode(synced)),
                RolloutMessages.Synced.class));
        assertEquals("{\"worker\":\"host-1\",\"version\":3,\"seconds\":0.21,\"bytes\":123456}",
                RolloutMessages.encode(synced).encode());
    }

    @Test
    void aMalformedMessageNamesItsType() {
        RolloutException e = assertThrows(RolloutException.class, () -> RolloutMessages.decode(
                new JsonObject().put("request_id", "r1").put("chunk_index", "two"), ChunkRequest.class));
        assertTrue(e.getMessage().startsWith("malformed ChunkRequest message"), e.getMessage());
    }
}
