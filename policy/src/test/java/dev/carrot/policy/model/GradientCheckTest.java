package dev.carrot.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.kernels.ReferenceKernels;
import dev.carrot.policy.tensor.Matrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Finite-difference check of the analytic backward pass for every parameter tensor. The loss
 * Σ a·logprob + b·entropy + c·value exercises all three gradient paths into the network at once.
 */
class GradientCheckTest {

    private static final int B = 2;
    private static final int T = 7;

    @ParameterizedTest(name = "tied={0} kernels={1} temperature={2}")
    @CsvSource({"true,java,1", "false,java,1", "true,reference,1", "false,java,0.6"})
    void everyParameterTensorMatchesFiniteDifferences(boolean tied, String kernels, float temperature) {
        GptConfig config = TinyModels.config(tied, true);
        Gpt model = TinyModels.model(config, 11, kernels.equals("java") ? new JavaKernels() : new ReferenceKernels());
        int N = B * T;
        int[] tokens = TinyModels.randomTokens(N, config.vocabSize(), 1);
        int[] targets = TinyModels.randomTokens(N, config.vocabSize(), 2);
        float[] a = TinyModels.randomVector(N, 1.0, 3);
        float[] b = TinyModels.randomVector(N, 1.0, 4);
        float[] c = TinyModels.randomVector(N, 1.0, 5);

        model.zeroGradients();
        model.forward(tokens, targets, B, T, temperature);
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
                double plus = loss(model, tokens, targets, temperature, a, b, c);
                weights.set(r, col, (float) (original - epsilon));
                double minus = loss(model, tokens, targets, temperature, a, b, c);
                weights.set(r, col, original);
                double numeric = (plus - minus) / (2 * epsilon);
                double analytic = grads.get(r, col);
                // Float32 central differences carry ~1e-4 of absolute noise at this loss scale.
                assertTrue(Math.abs(numeric - analytic) <= 1e-3 + 1e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)), spec.name() + "[" + r + "," + col + "]: analytic " + analytic + " vs numeric "
                        + numeric);
            }
        }
    }

    private static double loss(Gpt model, int[] tokens, int[] targets, float temperature, float[] a, float[] b,
            float[] c) {
        ForwardOutput out = model.forward(tokens, targets, B, T, temperature);
        double sum = 0;
        for (int n = 0; n < a.length; n++) {
            sum += a[n] * out.logprobs()[n] + b[n] * out.entropy()[n] + c[n] * out.values()[n];
        }
        return sum;
    }

    @Test
    void atATemperatureTheLogProbabilitiesAreThoseOfTheScaledLogits() {
        GptConfig config = TinyModels.config(true, false);
        Gpt model = TinyModels.model(config, 11, new JavaKernels());
        int N = B * T;
        int V = config.vocabSize();
        int[] tokens = TinyModels.randomTokens(N, V, 1);
        int[] targets = TinyModels.randomTokens(N, V, 2);
        float[] logits = model.forward(tokens, targets, B, T).logits().toArray();
        ForwardOutput cooled = model.forward(tokens, targets, B, T, 0.5f);
        for (int n = 0; n < N; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                max = Math.max(max, logits[n * V + v] / 0.5);
            }
            double z = 0;
            double weighted = 0;
            for (int v = 0; v < V; v++) {
                double e = Math.exp(logits[n * V + v] / 0.5 - max);
                z += e;
                weighted += e * (logits[n * V + v] / 0.5 - max);
            }
            double logprob = logits[n * V + targets[n]] / 0.5 - max - Math.log(z);
            double entropy = Math.log(z) - weighted / z;
            assertEquals(logprob, cooled.logprobs()[n], 1e-4, "logprob at " + n);
            assertEquals(entropy, cooled.entropy()[n], 1e-4, "entropy at " + n);
        }
    }
}
