package dev.carrot.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.generate.FinishReason;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.generate.Seed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutBatchTest {

    private static final List<String> PROMPTS = List.of("a", "b", "c");

    private static ChunkRequest chunk(int k, int first, List<String> prompts) {
        List<PromptRequest> requests = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            requests.add(new PromptRequest(prompts.get(i), SamplingParams.greedy(4), new Seed(10 + k, i)));
        }
        return new ChunkRequest("r1", k, first, requests, 1);
    }

    private static ChunkResult answer(ChunkRequest request, String worker, long version) {
        List<Completion> completions = new ArrayList<>();
        for (int i = 0; i < request.prompts().size(); i++) {
            completions.add(new Completion(request.firstPromptIndex() + i, request.prompts().get(i).prompt(), new int[] {1},
                    new int[] {2}, new float[] {-1f}, "x", FinishReason.MAX_TOKENS, version, worker, List.of()));
        }
        return new ChunkResult(request.requestId(), request.chunkIndex(), worker, version, completions);
    }

    @Test
    void assemblesChunksInPromptOrderAndCountsARepeatedChunkOnce() throws Exception {
        RolloutBatch batch = new RolloutBatch("r1", 3);
        ChunkRequest first = chunk(0, 0, PROMPTS.subList(0, 2));
        ChunkRequest second = chunk(1, 2, PROMPTS.subList(2, 3));
        assertTrue(batch.accept(second, answer(second, "local-2", 1)));
        assertTrue(batch.accept(first, answer(first, "local-1", 1)));
        assertFalse(batch.accept(first, answer(first, "local-2", 1)));
        List<Completion> completions = batch.future().get();
        assertEquals(PROMPTS, completions.stream().map(Completion::prompt).toList());
        assertEquals(List.of("local-1", "local-1", "local-2"), completions.stream().map(Completion::worker).toList());
    }

    @Test
    void rejectsRepliesThatDoNotAnswerTheRequest() {
        RolloutBatch batch = new RolloutBatch("r1", 3);
        ChunkRequest first = chunk(0, 0, PROMPTS.subList(0, 2));
        ChunkRequest second = chunk(1, 2, PROMPTS.subList(2, 3));
        assertThrows(IllegalArgumentException.class, () -> batch.accept(first, answer(second, "local-1", 1)));
        assertThrows(IllegalArgumentException.class, () -> batch.accept(first, answer(first, "local-1", 0)),
                "served with weights older than the request allows");
        ChunkResult truncated = new ChunkResult("r1", 0, "local-1", 1, answer(first, "local-1", 1).completions()
                .subList(0, 1));
        assertThrows(IllegalArgumentException.class, () -> batch.accept(first, truncated));
        assertFalse(batch.done());
    }
}
