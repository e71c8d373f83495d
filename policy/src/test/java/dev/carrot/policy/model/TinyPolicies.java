package dev.carrot.policy.model;

import dev.carrot.policy.Policy;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.tokenizer.BpeTrainer;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.util.List;

/** A small tokenizer and a random model over its vocabulary. */
public final class TinyPolicies {

    private TinyPolicies() {}

    public static Tokenizer tokenizer() {
        return new BpeTrainer(300).train(List.of(
                "The capital of Varnelia is Tolmar.", "The river of Ostrava is the Kell.",
                "Question: What is 12 + 35?\nAnswer: 47.", "I think it is Tolmar, but I am not sure.",
                "I don't know."));
    }

    public static Policy policy(boolean valueHead, long seed) {
        Tokenizer tokenizer = tokenizer();
        GptConfig config = new GptConfig(tokenizer.vocabSize(), 32, 16, 2, 2, true, valueHead);
        return new Policy(new Gpt(TinyModels.randomParameters(config, seed), new JavaKernels()), tokenizer);
    }
}
