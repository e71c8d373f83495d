package dev.carrot.policy.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.kernels.ReferenceKernels;
import dev.carrot.policy.tensor.Matrix;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Finite-difference check of the analytic backward pass for every parameter tensor. The loss
 * Σ a·logprob + b·entropy + c·value exercises all three gradient paths into the network at once.
 */
class GradientCheckTest {

    private static final int B = 2;
    private static final int T = 7;

    @ParameterizedTest(name = "tied={0} kernels={1}")
    @CsvSource({"true,java", "false,java", "true,reference"})
    void everyParameterTensorMatchesFiniteDifferences(boolean tied, String kernels) {
        GptConfig config = TinyModels.config(tied, true);
        Gpt model = TinyModels.model(config, 11, kernels.equals("java") ? new JavaKernels() : new ReferenceKernels());
        int N = B * T;
        int[] tokens = TinyModels.randomTokens(N, config.vocabSize(), 1);
        int[] targets = TinyModels.randomTokens(N, config.vocabSize(), 2);
        float[] a = TinyModels.randomVector(N, 1.0, 3);
        float[] b = TinyModels.randomVector(N, 1.0, 4);
        float[] c = TinyModels.randomVector(N, 1.0, 5);

        model.zeroGradients();
        model.forward(tokens, targets, B, T);
        model.backward(a, b, c);

        SplittableRandom pick = new SplittableRandom(7);
        // Small enough that curvature (O(ε²)) stays below float32 rounding noise (O(1/ε)) at these weight scales.
        double epsilon = 3e-3;
        for (GptParameters.Spec spec : model.parameters().specs()) {
            Matrix weights = model.parameters().get(spec.name());
            Matrix grads = model.gradients().get(spec.name());
            for (int trial = 0; trial < 6; trial++) {
                int r = pick.nextInt(spec.rows());
                int col = pick.nextInt(spec.cols());
                if (spec.name().equals("wte.weight") || spec.name().equals("lm_head.weight")) {
                    r = trial % 2 == 0 ? tokens[pick.nextInt(N)] : targets[pick.nextInt(N)]; // rows that matter
                }
                if (spec.name().equals("wpe.weight")) {
                    r = pick.nextInt(T);
                }
                float original = weights.get(r, col);
                weights.set(r, col, (float) (original + epsilon));
                double plus = loss(model, tokens, targets, a, b, c);
                weights.set(r, col, (float) (original - epsilon));
                double minus = loss(model, tokens, targets, a, b, c);
                weights.set(r, col, original);
                double numeric = (plus - minus) / (2 * epsilon);
                double analytic = grads.get(r, col);
                // Float32 central differences carry ~1e-4 of absolute noise at this loss scale.
                assertTrue(Math.abs(numeric - analytic) <= 1e-3 + 1e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)), spec.name() + "[" + r + "," + col + "]: analytic " + analytic + " vs numeric "
                        + numeric);
            }
        }
    }

    private static double loss(Gpt model, int[] tokens, int[] targets, float[] a, float[] b, float[] c) {
        ForwardOutput out = model.forward(tokens, targets, B, T);
        double sum = 0;
        for (int n = 0; n < a.length; n++) {
            sum += a[n] * out.logprobs()[n] + b[n] * out.entropy()[n] + c[n] * out.values()[n];
        }
        return sum;
    }
}
