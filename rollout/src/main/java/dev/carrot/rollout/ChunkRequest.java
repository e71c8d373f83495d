package dev.carrot.rollout;

import dev.carrot.policy.generate.SamplingParams;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker request: a fixed-size slice of a batch's prompts, and everything needed to generate it the same way on
 * any worker and on every retry.
 *
 * @param requestId          the batch it belongs to
 * @param chunkIndex         its position among the batch's chunks
 * @param firstPromptIndex   the batch index of {@code prompts.get(0)}
 * @param prompts            the prompt texts
 * @param sampling           how to sample
 * @param seed               the chunk's own seed: the batch seed plus the chunk index
 * @param minWeightsVersion  the oldest weights version the worker may serve it with
 */
record ChunkRequest(String requestId, int chunkIndex, int firstPromptIndex, List<String> prompts,
        SamplingParams sampling, long seed, long minWeightsVersion) {

    ChunkRequest {
        prompts = List.copyOf(prompts);
    }

    /**
     * Cuts a batch into chunks of {@code chunkSize} prompts; chunk k gets seed {@code seed + k}, so that what it
     * generates depends neither on the worker that serves it nor on how often it is retried.
     */
    static List<ChunkRequest> split(String requestId, List<String> prompts, int chunkSize, SamplingParams sampling,
            long seed, long minWeightsVersion) {
        List<ChunkRequest> chunks = new ArrayList<>();
        for (int first = 0, k = 0; first < prompts.size(); first += chunkSize, k++) {
            List<String> slice = prompts.subList(first, Math.min(first + chunkSize, prompts.size()));
            chunks.add(new ChunkRequest(requestId, k, first, slice, sampling, seed + k, minWeightsVersion));
        }
        return chunks;
    }

    /** This request, needing weights at least {@code version} (and at least what it needed before). */
    ChunkRequest needingAtLeast(long version) {
        return version <= minWeightsVersion ? this
                : new ChunkRequest(requestId, chunkIndex, firstPromptIndex, prompts, sampling, seed, version);
    }

    /** "chunk 2 (prompts 32..47) of batch r5", for messages. */
    String describe() {
        return "chunk " + chunkIndex + " (prompts " + firstPromptIndex + ".." + (firstPromptIndex + prompts.size() - 1)
                + ") of batch " + requestId;
    }
}
