package dev.carrot.policy.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.tensor.SupportedBlasFamily;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A batch-invariant forward pass gives a sequence the same bits alone, among longer sequences, at another row and
 * with padding after it; and the fast pass agrees with it to float precision. CI runs this class under several
 * OpenBLAS kernel families (the policy module's pom).
 */
@ExtendWith(SupportedBlasFamily.class)
class BatchInvarianceTest {

    private static final int V = 300;
    private final Gpt model = TinyModels.model(new GptConfig(V, 64, 64, 2, 4, false, true), 5, new JavaKernels());
    private final int[] sequence = TinyModels.randomTokens(21, V, 1);

    @Test
    void aSequenceScoresTheSameAloneAndInAnyBatch() {
        ForwardOutput alone = score(new int[][] {sequence}, ForwardMode.BATCH_INVARIANT);
        int[][] crowd = {TinyModels.randomTokens(50, V, 2), TinyModels.randomTokens(3, V, 3),
                TinyModels.randomTokens(33, V, 4), sequence, TinyModels.randomTokens(12, V, 5)};
        ForwardOutput batched = score(crowd, ForwardMode.BATCH_INVARIANT);
        int T = 49;
        int n = sequence.length - 1;
        assertArrayEquals(alone.logprobs(), slice(batched.logprobs(), 3 * T, n), "log-probs");
        assertArrayEquals(alone.entropy(), slice(batched.entropy(), 3 * T, n), "entropies");
        assertArrayEquals(alone.values(), slice(batched.values(), 3 * T, n), "values");

        ForwardOutput fast = score(crowd, ForwardMode.FAST);
        float[] fastLogprobs = slice(fast.logprobs(), 3 * T, n);
        for (int t = 0; t < n; t++) {
            assertEquals(alone.logprobs()[t], fastLogprobs[t], 1e-4, "fast pass at " + t);
        }
    }

    /** Scores right-padded sequences, each predicting its own next tokens; T is the longest length less one. */
    private ForwardOutput score(int[][] sequences, ForwardMode mode) {
        int T = Arrays.stream(sequences).mapToInt(s -> s.length - 1).max().orElseThrow();
        int B = sequences.length;
        int[] inputs = new int[B * T];
        int[] targets = new int[B * T];
        for (int b = 0; b < B; b++) {
            System.arraycopy(sequences[b], 0, inputs, b * T, sequences[b].length - 1);
            System.arraycopy(sequences[b], 1, targets, b * T, sequences[b].length - 1);
        }
        return model.forward(inputs, targets, B, T, 1f, mode);
    }

    private static float[] slice(float[] values, int from, int length) {
        return Arrays.copyOfRange(values, from, from + length);
    }
}
