package dev.carrot.rollout;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Assembles one {@link RolloutService#generate} call from its chunks' results: exactly one completion per prompt, in
 * prompt order. A chunk answered twice (a reply that raced its own retry) counts once; a reply that does not answer
 * its request is rejected, so the chunk is retried. Confined to the dispatcher's thread.
 */
final class RolloutBatch {

    private final String requestId;
    private final Completion[] completions;
    private final CompletableFuture<List<Completion>> future = new CompletableFuture<>();
    private int missing;

    RolloutBatch(String requestId, int prompts) {
        this.requestId = requestId;
        this.completions = new Completion[prompts];
        this.missing = prompts;
        if (prompts == 0) {
            future.complete(List.of());
        }
    }

    String requestId() {
        return requestId;
    }

    CompletableFuture<List<Completion>> future() {
        return future;
    }

    boolean done() {
        return future.isDone();
    }

    /** Whether {@code request}'s chunk has its completions. */
    boolean answered(ChunkRequest request) {
        return completions[request.firstPromptIndex()] != null;
    }

    /**
     * Takes {@code result} as the answer to {@code request}, completing the batch once every prompt has its
     * completion. Returns false if the chunk was already answered.
     *
     * @throws IllegalArgumentException if {@code result} is not an answer to {@code request}
     */
    boolean accept(ChunkRequest request, ChunkResult result) {
        checkAnswers(request, result);
        if (answered(request)) {
            return false;
        }
        for (Completion c : result.completions()) {
            completions[c.promptIndex()] = c;
        }
        missing -= result.completions().size();
        if (missing == 0) {
            future.complete(List.copyOf(Arrays.asList(completions)));
        }
        return true;
    }

    void fail(RolloutException e) {
        future.completeExceptionally(e);
    }

    private void checkAnswers(ChunkRequest request, ChunkResult result) {
        if (!result.requestId().equals(request.requestId()) || result.chunkIndex() != request.chunkIndex()) {
            throw new IllegalArgumentException("reply for chunk " + result.chunkIndex() + " of batch "
                    + result.requestId() + " to a request for " + request.describe());
        }
        if (result.weightsVersion() < request.minWeightsVersion()) {
            throw new IllegalArgumentException("reply to " + request.describe() + " was served with weights version "
                    + result.weightsVersion() + "; the request needs at least " + request.minWeightsVersion());
        }
        List<Completion> got = result.completions();
        if (got.size() != request.prompts().size()) {
            throw new IllegalArgumentException("reply to " + request.describe() + " has " + got.size()
                    + " completions; expected " + request.prompts().size());
        }
        for (int i = 0; i < got.size(); i++) {
            Completion c = got.get(i);
            if (c.promptIndex() != request.firstPromptIndex() + i || !c.prompt().equals(request.prompts().get(i).prompt())) {
                throw new IllegalArgumentException("reply to " + request.describe() + " has completion " + i
                        + " for prompt " + c.promptIndex() + "; expected prompt " + (request.firstPromptIndex() + i));
            }
        }
    }
}
