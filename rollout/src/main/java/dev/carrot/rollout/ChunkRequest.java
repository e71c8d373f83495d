package dev.carrot.rollout;

import java.util.ArrayList;
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

    /**
     * Cuts a batch into chunks of {@code chunkSize} prompts. Every prompt carries its own sampling and seed, so what a
     * chunk generates depends neither on the worker that serves it nor on how often it is retried.
     */
    static List<ChunkRequest> split(String requestId, List<PromptRequest> prompts, int chunkSize,
            long minWeightsVersion) {
        List<ChunkRequest> chunks = new ArrayList<>();
        for (int first = 0, k = 0; first < prompts.size(); first += chunkSize, k++) {
            List<PromptRequest> slice = prompts.subList(first, Math.min(first + chunkSize, prompts.size()));
            chunks.add(new ChunkRequest(requestId, k, first, slice, minWeightsVersion));
        }
        return chunks;
    }

    /** This request, needing weights at least {@code version} (and at least what it needed before). */
    ChunkRequest needingAtLeast(long version) {
        return version <= minWeightsVersion ? this
                : new ChunkRequest(requestId, chunkIndex, firstPromptIndex, prompts, version);
    }

    /** "chunk 2 (prompts 32..47) of batch r5", for messages. */
    String describe() {
        return "chunk " + chunkIndex + " (prompts " + firstPromptIndex + ".." + (firstPromptIndex + prompts.size() - 1)
                + ") of batch " + requestId;
    }
}
