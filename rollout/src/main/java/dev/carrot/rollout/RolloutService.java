package dev.carrot.rollout;

import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.model.GptParameters;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Generates completions on rollout workers. Thread-safe. */
public interface RolloutService extends AutoCloseable {

    /**
     * Exactly one completion per prompt, in prompt order. The same prompts, sampling and seed give the same
     * completions however many workers serve them. Every completion is generated with weights at least as new as
     * {@link #publishedVersion()} at the time of the call, and no more than {@link RolloutConfig#maxStaleness()}
     * versions older than the latest published when it is taken into the batch (an older one is generated again).
     * Fails (exceptionally, with a {@link RolloutException}) only after every attempt at some chunk failed, or when
     * no worker was in service for the request timeout.
     */
    CompletableFuture<List<Completion>> generate(List<String> prompts, SamplingParams sampling, long seed);

    /**
     * Exactly one completion per request, in request order, each generated with its own sampling and seed: a
     * request's completion does not depend on what else is in the batch or in flight (up to the rounding of
     * batched products, see {@link dev.carrot.policy.generate.Seed}), which is what lets a server batch requests
     * of independent clients. Weights and failures as for {@link #generate(List, SamplingParams,
     * long)}.
     */
    CompletableFuture<List<Completion>> generate(List<PromptRequest> requests);

    /**
     * Makes {@code parameters} (copied now, on the calling thread) the weights of every request served from now on,
     * as {@code version}, which must be greater than every version published before. Requests already being served
     * finish on the weights they started with; whether their completions are kept depends on the staleness bound.
     */
    void publishWeights(GptParameters parameters, long version);

    /** The version of the latest published weights; 0 for the policy the service started with. */
    long publishedVersion();

    /** Fails batches still in progress and releases the workers. */
    @Override
    void close();
}
