package dev.carrot.policy.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.common.FileManifest;
import dev.carrot.policy.Policy;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.model.TinyPolicies;
import dev.carrot.policy.optim.AdamW;
import dev.carrot.policy.optim.AdamWConfig;
import dev.carrot.policy.safetensors.SafetensorsFile;
import dev.carrot.policy.safetensors.SafetensorsWriter;
import dev.carrot.policy.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void roundTripIsBitExactWithValueHeadInItsOwnFile() throws IOException {
        Policy policy = TinyPolicies.policy(true, 8);
        PolicyCheckpoint.save(policy, dir);
        assertTrue(Files.exists(dir.resolve(PolicyCheckpoint.VALUE_HEAD)));
        assertTrue(SafetensorsFile.read(dir.resolve(PolicyCheckpoint.WEIGHTS)).names().stream()
                .noneMatch(n -> n.startsWith(GptParameters.VALUE_HEAD_PREFIX)));

        Policy loaded = PolicyCheckpoint.load(dir, new JavaKernels());
        assertEquals(policy.config(), loaded.config());
        float[] expected = policy.model().parameters().flat().toArray();
        float[] actual = loaded.model().parameters().flat().toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
        assertArrayEquals(policy.tokenizer().encode("The capital of Varnelia"),
                loaded.tokenizer().encode("The capital of Varnelia"));
    }

    @Test
    void wrongShapeNamesTheTensorAndFile() throws IOException {
        Policy policy = TinyPolicies.policy(false, 8);
        PolicyCheckpoint.save(policy, dir);
        Files.delete(dir.resolve(FileManifest.FILE)); // weights made elsewhere: the tensor checks speak
        Path weights = dir.resolve(PolicyCheckpoint.WEIGHTS);
        List<Tensor> tensors = new ArrayList<>(SafetensorsFile.read(weights).tensors());
        tensors.replaceAll(t -> t.name().equals("h.1.mlp.c_fc.bias")
                ? Tensor.ofFloats(t.name(), new long[] {3}, new float[3]) : copy(t));
        SafetensorsWriter.write(weights, tensors, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> PolicyCheckpoint.load(dir, new JavaKernels()));
        assertTrue(e.getMessage().contains("h.1.mlp.c_fc.bias") && e.getMessage().contains("model.safetensors")
                && e.getMessage().contains("[64]"), e.getMessage());
    }

    @Test
    void missingAndUnexpectedTensorsAreNamed() throws IOException {
        Policy policy = TinyPolicies.policy(false, 8);
        PolicyCheckpoint.save(policy, dir);
        Files.delete(dir.resolve(FileManifest.FILE)); // weights made elsewhere: the tensor checks speak
        Path weights = dir.resolve(PolicyCheckpoint.WEIGHTS);
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : SafetensorsFile.read(weights).tensors()) {
            if (!t.name().equals("ln_f.bias")) {
                tensors.add(copy(t));
            }
        }
        SafetensorsWriter.write(weights, tensors, Map.of());
        CheckpointException missing = assertThrows(CheckpointException.class,
                () -> PolicyCheckpoint.load(dir, new JavaKernels()));
        assertTrue(missing.getMessage().contains("'ln_f.bias' is missing"), missing.getMessage());

        tensors.add(Tensor.ofFloats("ln_f.bias", new long[] {16}, new float[16]));
        tensors.add(Tensor.ofFloats("extra.weight", new long[] {2}, new float[2]));
        SafetensorsWriter.write(weights, tensors, Map.of());
        CheckpointException extra = assertThrows(CheckpointException.class,
                () -> PolicyCheckpoint.load(dir, new JavaKernels()));
        assertTrue(extra.getMessage().contains("extra.weight"), extra.getMessage());
    }

    @Test
    void truncatedWeightsAndBadConfigGiveClearErrors() throws IOException {
        Policy policy = TinyPolicies.policy(false, 8);
        PolicyCheckpoint.save(policy, dir);
        Path weights = dir.resolve(PolicyCheckpoint.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        IOException truncated = assertThrows(IOException.class, () -> PolicyCheckpoint.load(dir, new JavaKernels()));
        assertTrue(truncated.getMessage().contains("model.safetensors"), truncated.getMessage());

        Files.delete(dir.resolve(FileManifest.FILE)); // a hand-edited checkpoint: no manifest vouches for it
        Files.write(weights, bytes);
        Files.writeString(dir.resolve(PolicyCheckpoint.CONFIG),
                "{\"model_type\":\"carrot-gpt2\",\"format_version\":1,\"vocab_size\":300,\"n_positions\":32,"
                        + "\"d_model\":15,\"n_layers\":2,\"n_heads\":2,\"tied_embeddings\":true,\"value_head\":false}");
        CheckpointException config = assertThrows(CheckpointException.class,
                () -> PolicyCheckpoint.load(dir, new JavaKernels()));
        assertTrue(config.getMessage().contains("config.json") && config.getMessage().contains("d_model"),
                config.getMessage());

        CheckpointException absent = assertThrows(CheckpointException.class,
                () -> PolicyCheckpoint.load(dir.resolve("nowhere"), new JavaKernels()));
        assertTrue(absent.getMessage().contains("not a Carrot policy checkpoint"), absent.getMessage());
    }

    @Test
    void optimizerStateRoundTrips() throws IOException {
        Policy policy = TinyPolicies.policy(true, 8);
        GptParameters params = policy.model().parameters();
        AdamW adam = new AdamW(params, AdamWConfig.DEFAULT);
        GptParameters grads = GptParameters.zeros(params.config());
        grads.flat().copyFrom(dev.carrot.policy.model.TinyModels.randomVector((int) grads.count(), 1, 3));
        adam.step(grads, 1e-3);
        adam.step(grads, 1e-3);
        Path file = dir.resolve(OptimizerCheckpoint.FILE);
        OptimizerCheckpoint.save(adam, file);
        AdamW restored = new AdamW(params, AdamWConfig.DEFAULT);
        OptimizerCheckpoint.load(restored, file);
        assertEquals(2, restored.steps());
        assertArrayEquals(adam.firstMoment().flat().toArray(), restored.firstMoment().flat().toArray());
        assertArrayEquals(adam.secondMoment().flat().toArray(), restored.secondMoment().flat().toArray());
    }

    @Test
    void aValueHeadIsAddedAtZeroWithoutChangingThePolicy() {
        Policy policy = TinyPolicies.policy(false, 8);
        GptParameters withHead = policy.model().parameters().withValueHead();
        assertTrue(withHead.config().valueHead());
        int[] tokens = policy.tokenizer().encode("The capital of Varnelia", true);
        var before = policy.model().forward(tokens, tokens, 1, tokens.length);
        float[] expected = before.logprobs().clone();
        var after = new dev.carrot.policy.model.Gpt(withHead, new JavaKernels()).forward(tokens, tokens, 1, tokens.length);
        assertArrayEquals(expected, after.logprobs());
        for (float v : after.values()) {
            assertEquals(0f, v);
        }
    }

    private static Tensor copy(Tensor t) {
        return Tensor.ofFloats(t.name(), t.shape(), t.toFloats());
    }

    @Test
    void aFlippedByteInAnyFileIsNamedAndAPolicyWithoutAManifestStillLoads() throws IOException {
        Policy policy = TinyPolicies.policy(true, 8);
        PolicyCheckpoint.save(policy, dir);
        for (String name : List.of(PolicyCheckpoint.CONFIG, PolicyCheckpoint.WEIGHTS, PolicyCheckpoint.VALUE_HEAD,
                PolicyCheckpoint.TOKENIZER)) {
            Path file = dir.resolve(name);
            byte[] original = Files.readAllBytes(file);
            for (int position : new int[] {0, original.length / 2, original.length - 1}) {
                byte[] flipped = original.clone();
                flipped[position] ^= 0x10;
                Files.write(file, flipped);
                CheckpointException e = assertThrows(CheckpointException.class,
                        () -> PolicyCheckpoint.load(dir, new JavaKernels()));
                assertTrue(e.getMessage().contains(file + ": its content differs"), e.getMessage());
            }
            Files.write(file, original);
        }
        assertArrayEquals(policy.model().parameters().get("wte.weight").toArray(),
                PolicyCheckpoint.load(dir, new JavaKernels()).model().parameters().get("wte.weight").toArray());
        Files.delete(dir.resolve(FileManifest.FILE));
        PolicyCheckpoint.load(dir, new JavaKernels());
    }
}
