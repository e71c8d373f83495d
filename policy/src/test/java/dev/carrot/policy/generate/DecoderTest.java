package dev.carrot.policy.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.TinyModels;
import dev.carrot.policy.tensor.Matrix;
import dev.carrot.policy.tensor.SupportedBlasFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SupportedBlasFamily.class)
class DecoderTest {

    @Test
    void cachedDecodingGivesTheLogitsOfTheFullForwardPass() {
        GptConfig config = TinyModels.config(false, false);
        Gpt model = TinyModels.model(config, 5, new JavaKernels());
        int S = 3;
        int T = config.contextLength();
        int[] tokens = TinyModels.randomTokens(S * T, config.vocabSize(), 9);
        Matrix full = model.forward(tokens, tokens, S, T).logits();
        float[][] expected = new float[S * T][];
        for (int n = 0; n < S * T; n++) {
            expected[n] = new float[config.vocabSize()];
            for (int v = 0; v < config.vocabSize(); v++) {
                expected[n][v] = full.get(n, v);
            }
        }

        Decoder decoder = new Decoder(model, S);
        // Sequences run at different positions in the same step, as prompts of different lengths do.
        int[] lag = {0, 2, 5};
        int[] positions = new int[S];
        int[] step = new int[S];
        double worst = 0;
        for (int k = 0; k < T + 5; k++) {
            int[] feed = new int[S];
            boolean[] live = new boolean[S];
            for (int s = 0; s < S; s++) {
                int p = Math.max(0, Math.min(T - 1, k - lag[s]));
                live[s] = k - lag[s] >= 0 && k - lag[s] < T;
                positions[s] = live[s] ? p : Math.min(step[s], T - 1);
                feed[s] = tokens[s * T + positions[s]];
            }
            Matrix logits = decoder.step(feed, positions);
            for (int s = 0; s < S; s++) {
                if (!live[s]) {
                    continue;
                }
                step[s] = positions[s];
                for (int v = 0; v < config.vocabSize(); v++) {
                    double diff = Math.abs(logits.get(s, v) - expected[s * T + positions[s]][v]);
                    worst = Math.max(worst, diff);
                }
            }
        }
        assertTrue(worst < 1e-4, "max |cached - full| = " + worst);
        assertEquals(S, decoder.sequences());
    }
}
