package dev.carrot.policy.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.kernels.ReferenceKernels;
import dev.carrot.policy.safetensors.SafetensorsFile;
import dev.carrot.policy.tensor.SupportedBlasFamily;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Carrot against PyTorch: fixtures written by {@code tools/reference/make_golden.py} hold a small model's weights,
 * a right-padded batch, and PyTorch's logits, log-probs, entropies, values, losses and gradients.
 */
@ExtendWith(SupportedBlasFamily.class)
class GoldenTest {

    /** Relative to the largest magnitude in each compared tensor, the float32 rounding scale. */
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "{0} with {1} kernels")
    @CsvSource({"tied,java", "untied,java", "tied,reference"})
    void matchesPyTorch(String fixture, String kernelName) throws IOException, URISyntaxException {
        SafetensorsFile golden = SafetensorsFile.read(
                Path.of(GoldenTest.class.getResource("/golden/" + fixture + ".safetensors").toURI()));
        JsonNode c = new ObjectMapper().readTree(golden.metadata().get("config"));
        GptConfig config = new GptConfig(c.get("vocab_size").asInt(), c.get("n_positions").asInt(),
                c.get("d_model").asInt(), c.get("n_layers").asInt(), c.get("n_heads").asInt(),
                c.get("tied").asBoolean(), c.get("value_head").asBoolean());
        GptParameters parameters = GptParameters.zeros(config);
        for (GptParameters.Spec spec : parameters.specs()) {
            assertArrayEquals(spec.shape(), golden.tensor(spec.name()).shape(), spec.name());
            parameters.get(spec.name()).copyFrom(golden.tensor(spec.name()).toFloats());
        }
        Kernels kernels = kernelName.equals("java") ? new JavaKernels() : new ReferenceKernels();
        Gpt model = new Gpt(parameters, kernels);

        long[] shape = golden.tensor("input.idx").shape();
        int B = (int) shape[0];
        int T = (int) shape[1];
        int[] idx = golden.tensor("input.idx").toInts();
        int[] targets = golden.tensor("input.targets").toInts();
        float[] mask = golden.tensor("input.mask").toFloats();

        ForwardOutput out = model.forward(idx, targets, B, T);
        assertClose(golden.tensor("output.logits").toFloats(), out.logits().toArray(), "logits");
        assertClose(golden.tensor("output.logprobs").toFloats(), out.logprobs(), "logprobs");
        assertClose(golden.tensor("output.entropy").toFloats(), out.entropy(), "entropy");
        MaskedCrossEntropy.Result ce = MaskedCrossEntropy.of(out.logprobs(), mask);
        double expectedLoss = golden.tensor("output.loss").toFloats()[0];
        assertEquals(expectedLoss, ce.loss(), TOLERANCE * Math.abs(expectedLoss), "loss");

        float[] dValues = null;
        if (config.valueHead()) {
            assertClose(golden.tensor("output.values").toFloats(), out.values(), "values");
            float[] returns = golden.tensor("input.returns").toFloats();
            // value_loss = ½ Σ mask·(v − R)² / Σ mask
            dValues = new float[B * T];
            double valueLoss = 0;
            for (int n = 0; n < B * T; n++) {
                double diff = out.values()[n] - returns[n];
                valueLoss += 0.5 * mask[n] * diff * diff / ce.tokens();
                dValues[n] = (float) (mask[n] * diff / ce.tokens());
            }
            double expected = golden.tensor("output.value_loss").toFloats()[0];
            assertEquals(expected, valueLoss, TOLERANCE * Math.abs(expected), "value_loss");
        }
        model.zeroGradients();
        model.backward(ce.dLogprobs(), null, dValues);
        for (GptParameters.Spec spec : parameters.specs()) {
            assertClose(golden.tensor("grad." + spec.name()).toFloats(),
                    model.gradients().get(spec.name()).toArray(), "grad." + spec.name());
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            if (diff > worst) {
                worst = diff;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE * scale, what + ": max |diff| " + worst + " at " + at + " (expected "
                + expected[at] + ", got " + actual[at] + "), allowed " + TOLERANCE * scale);
    }
}
