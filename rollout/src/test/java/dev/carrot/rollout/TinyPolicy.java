package dev.carrot.rollout;

import dev.carrot.policy.Policy;
import dev.carrot.policy.generate.Generation;
import dev.carrot.policy.generate.Generator;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tokenizer.BpeTrainer;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/** A random one-layer policy over a small BPE vocabulary, and the direct generation rollouts must reproduce. */
public final class TinyPolicy {

    public static final Tokenizer TOKENIZER = new BpeTrainer(300).train(List.of(
            "The capital of Varnelia is Tolmar.", "The river of Ostrava is the Kell.",
            "Question: What is 12 + 35?\nAnswer: 47.", "I think it is Tolmar, but I am not sure.",
            "I don't know."));

    public static final GptConfig CONFIG = new GptConfig(TOKENIZER.vocabSize(), 48, 16, 1, 2, true, false);

    public static final List<String> PROMPTS = List.of("The capital of", "Question: What is 12 + 35?\nAnswer:", "I",
            "The river of", "I think it is", "Question:", "The capital of Ostrava is", "I don't");

    private TinyPolicy() {}

    static GptParameters parameters(long seed) {
        return GptParameters.initialized(CONFIG, seed);
    }

    public static Policy policy(long seed) {
        return new Policy(new Gpt(parameters(seed), new JavaKernels()), TOKENIZER);
    }

    /** What a rollout service must return: each chunk generated directly with seed {@code seed + k}. */
    static List<Generation> direct(GptParameters weights, List<String> prompts, int chunkSize, SamplingParams sampling,
            long seed) {
        Generator generator = new Generator(new Gpt(weights, new JavaKernels()), TOKENIZER);
        List<Generation> out = new ArrayList<>();
        for (int first = 0, k = 0; first < prompts.size(); first += chunkSize, k++) {
            List<String> chunk = prompts.subList(first, Math.min(first + chunkSize, prompts.size()));
            out.addAll(generator.generateText(chunk, sampling, seed + k));
        }
        return out;
    }
}
