package dev.carrot.rollout;

import java.util.List;

/**
 * One worker request: a fixed-size slice of a batch's prompts, each with its sampling and seed, which is everything
 * needed to generate it the same way on any worker and on every retry.
 *
 * @param requestId          the batch it belongs to
 * @param chunkIndex         its position among the batch's chunks
 * @param firstPromptIndex   the batch index of {@code prompts.get(0)}
 * @param prompts            the prompts with their sampling and seeds
 * @param minWeightsVersion  the oldest weights version the worker may serve it with
 */
record ChunkRequest(String requestId, int chunkIndex, int firstPromptIndex, List<PromptRequest> prompts,
        long minWeightsVersion) {

    ChunkRequest {
        prompts = List.copyOf(prompts);
    }

    /** "chunk 2 (prompts 32..47) of batch r5", for messages. */
    String describe() {
        return "chunk " + chunkIndex + " (prompts " + firstPromptIndex + ".." + (firstPromptIndex + prompts.size() - 1)
                + ") of batch " + requestId;
    }
}
