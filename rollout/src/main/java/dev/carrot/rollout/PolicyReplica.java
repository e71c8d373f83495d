package dev.carrot.rollout;

import dev.carrot.policy.generate.Generation;
import dev.carrot.policy.generate.Generator;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.generate.Seed;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker's own copy of the policy and the generator over it, kept at the latest published weights. The weights
 * change only at the start of {@link #serve}, so a request is generated entirely with one version. Not thread-safe:
 * it belongs to one worker, which serves one request at a time.
 */
final class PolicyReplica implements ChunkHandler {

    private final String worker;
    private final Tokenizer tokenizer;
    private final WeightStore weights;
    private final GptParameters parameters;
    private final Generator generator;
    private long version = -1; // older than any published version: the first request loads the weights

    PolicyReplica(String worker, GptConfig config, Tokenizer tokenizer, WeightStore weights) {
        this.worker = worker;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.parameters = GptParameters.zeros(config);
        this.generator = new Generator(new Gpt(parameters, new JavaKernels()), tokenizer);
    }

    @Override
    public ChunkResult serve(ChunkRequest request) {
        WeightStore.Snapshot latest = weights.latest();
        if (latest.version() < request.minWeightsVersion()) {
            throw new IllegalStateException("worker " + worker + " has weights version " + latest.version()
                    + " but the request needs at least " + request.minWeightsVersion());
        }
        if (latest.version() > version) {
            latest.copyInto(parameters);
            version = latest.version();
        }
        List<int[]> promptTokens = new ArrayList<>(request.prompts().size());
        List<SamplingParams> sampling = new ArrayList<>(request.prompts().size());
        List<Seed> seeds = new ArrayList<>(request.prompts().size());
        for (PromptRequest prompt : request.prompts()) {
            promptTokens.add(tokenizer.encode(prompt.prompt(), true)); // as Generator.generateText encodes
            sampling.add(prompt.sampling());
            seeds.add(prompt.seed());
        }
        List<Generation> generations = generator.generate(promptTokens, sampling, seeds);
        List<Completion> completions = new ArrayList<>(generations.size());
        for (int i = 0; i < generations.size(); i++) {
            Generation g = generations.get(i);
            completions.add(new Completion(request.firstPromptIndex() + i, request.prompts().get(i).prompt(),
                    promptTokens.get(i), g.tokens(), g.logprobs(), g.text(), g.finishReason(), version, worker,
                    g.alternatives()));
        }
        return new ChunkResult(request.requestId(), request.chunkIndex(), worker, version, completions);
    }
}
