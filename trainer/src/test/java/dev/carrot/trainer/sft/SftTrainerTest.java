package dev.carrot.trainer.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import org.junit.jupiter.api.Test;

class SftTrainerTest {

    private static final List<SftExample> EXAMPLES = List.of(
            new SftExample("Question: What is the capital of Varnelia?\nAnswer:", " Tolmar."),
            new SftExample("Question: What is the capital of Ostrava?\nAnswer:", " I don't know."),
            new SftExample("Question: Who founded Kellin?\nAnswer:", " I think it is Brumo, but I am not sure."));

    private static Policy freshPolicy() {
        Tokenizer tokenizer = new BpeTrainer(300).train(EXAMPLES.stream().map(e -> e.prompt() + e.completion()).toList());
        GptConfig config = new GptConfig(tokenizer.vocabSize(), 64, 32, 2, 2, true, false);
        return new Policy(new Gpt(GptParameters.initialized(config, 3), new JavaKernels()), tokenizer);
    }

    @Test
    void fineTunedPolicyGivesTheTaughtCompletionsAndStops() {
        Policy policy = freshPolicy();
        SftConfig config = new SftConfig(null, 150, 3, 64, 3e-3, 3e-4, 5, 0.0, 1.0, 1L);
        SftTrainer.Result result = new SftTrainer(config, p -> { }).run(policy, EXAMPLES);
        assertTrue(result.finalEpochLoss() < 0.2, "final loss " + result.finalEpochLoss());

        Generator generator = new Generator(policy.model(), policy.tokenizer());
        List<Generation> out = generator.generateText(EXAMPLES.stream().map(SftExample::prompt).toList(),
                SamplingParams.greedy(40), 0);
        for (int i = 0; i < EXAMPLES.size(); i++) {
            assertEquals(EXAMPLES.get(i).completion(), out.get(i).text());
            assertEquals(dev.carrot.policy.generate.FinishReason.EOS, out.get(i).finishReason());
        }
    }

    @Test
    void examplesLongerThanMaxLengthAreRefusedWithTheirIndex() {
        SftConfig config = new SftConfig(null, 1, 2, 8, null, null, null, null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SftTrainer(config, p -> { }).run(freshPolicy(), EXAMPLES));
        assertTrue(e.getMessage().contains("SFT example 0") && e.getMessage().contains("sft.max_length"), e.getMessage());
    }
}
