package dev.carrot.rollout;

import java.util.List;

/**
 * A worker's answer to a {@link ChunkRequest}: one completion per prompt of the chunk, in order.
 *
 * @param requestId       the request's batch
 * @param chunkIndex      the request's chunk
 * @param worker          who served it
 * @param weightsVersion  the weights it was generated with
 * @param completions     the completions, each carrying the same worker and version
 */
record ChunkResult(String requestId, int chunkIndex, String worker, long weightsVersion,
        List<Completion> completions) {

    ChunkResult {
        completions = List.copyOf(completions);
    }
}
