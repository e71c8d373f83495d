package dev.carrot.policy.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void everyTensorAndTheMetadataComeBackBitForBit() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        float[] weights = new float[3 * 5];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        weights[0] = Float.intBitsToFloat(0x7FC0_1234); // quiet NaN with a payload
        weights[1] = Float.intBitsToFloat(0xFF80_0001); // signalling NaN
        weights[2] = -0.0f;
        weights[3] = Float.MIN_VALUE;
        List<Tensor> tensors = List.of(
                Tensor.ofFloats("blocks.0.attn.weight", new long[] {3, 5}, weights),
                Tensor.ofFloats("scale", new long[0], new float[] {0.5f}),
                Tensor.ofFloats("empty", new long[] {0, 4}, new float[0]),
                Tensor.ofInts("token_ids", new long[] {4}, new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}),
                Tensor.ofLongs("step", new long[] {1}, new long[] {Long.MIN_VALUE}));
        Map<String, String> metadata = Map.of("format", "pt", "carrot.step", "1200", "note", "ünïcode ✓");

        Path path = dir.resolve("checkpoint.safetensors");
        SafetensorsWriter.write(path, tensors, metadata);
        SafetensorsFile read = SafetensorsFile.read(path);

        assertEquals(metadata, read.metadata());
        assertEquals(tensors.size(), read.names().size());
        for (Tensor tensor : tensors) {
            assertEquals(tensor, read.tensor(tensor.name()));
        }
        float[] back = read.tensor("blocks.0.attn.weight").toFloats();
        for (int i = 0; i < weights.length; i++) {
            assertEquals(Float.floatToRawIntBits(weights[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
        assertEquals(path, read.path());
        assertTrue(read.contains("step"));
    }

    @Test
    void dataStartsEightByteAlignedAndTensorsStayAligned() throws IOException {
        Path path = dir.resolve("aligned.safetensors");
        SafetensorsWriter.write(path, List.of(
                Tensor.ofFloats("odd", new long[] {1}, new float[] {1}),
                Tensor.ofLongs("long", new long[] {1}, new long[] {2})));
        byte[] bytes = Files.readAllBytes(path);
        long headerSize = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerSize) % 8);
        // The I64 tensor comes first, so the 4-byte F32 cannot misalign it.
        assertEquals(List.of("long", "odd"), SafetensorsFile.read(path).names());
    }

    @Test
    void overwritesAtomicallyLeavingNoTemporaryFiles() throws IOException {
        Path path = dir.resolve("model.safetensors");
        SafetensorsWriter.write(path, List.of(Tensor.ofFloats("w", new long[] {1}, new float[] {1})));
        SafetensorsWriter.write(path, List.of(Tensor.ofFloats("w", new long[] {2}, new float[] {2, 3})));
        assertArrayEquals(new float[] {2, 3}, SafetensorsFile.read(path).tensor("w").toFloats());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(path), files.toList());
        }
    }

    @Test
    void duplicateNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("dup.safetensors"), List.of(
                        Tensor.ofFloats("w", new long[] {1}, new float[] {1}),
                        Tensor.ofInts("w", new long[] {1}, new int[] {1}))));
        assertEquals("two tensors are named 'w'", e.getMessage());
    }

    @Test
    void aMissingTensorIsNamedWithTheFile() throws IOException {
        Path path = dir.resolve("model.safetensors");
        SafetensorsWriter.write(path, List.of(Tensor.ofFloats("wte", new long[] {1}, new float[] {1})));
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> SafetensorsFile.read(path).tensor("lm_head.weight"));
        assertEquals(path + ": no tensor named 'lm_head.weight'; the file has 1 tensors: wte", e.getMessage());
        assertEquals(path, e.file());
    }
}
