package dev.carrot.policy.safetensors;

import static dev.carrot.policy.safetensors.SafetensorsBytes.file;
import static dev.carrot.policy.safetensors.SafetensorsBytes.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability: the exact bytes the reference implementation ({@code safetensors}, Rust and Python) writes and
 * reads for small known inputs, written out by hand from the format specification.
 */
class SafetensorsFormatTest {

    @TempDir
    Path dir;

    @Test
    void writesTheReferenceBytesForOneTensor() throws IOException {
        // {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} is 54 bytes; two spaces pad it to 56.
        byte[] expected = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ",
                floats(1.0f, 2.0f));
        assertEquals(8 + 56 + 8, expected.length);
        assertEquals(56, expected[0]);

        Path path = dir.resolve("a.safetensors");
        SafetensorsWriter.write(path, List.of(Tensor.ofFloats("a", new long[] {2}, new float[] {1.0f, 2.0f})));
        assertArrayEquals(expected, Files.readAllBytes(path));
    }

    @Test
    void headerAlreadyAlignedGetsNoPadding() throws IOException {
        String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(64, header.length());
        Path path = dir.resolve("attn.safetensors");
        SafetensorsWriter.write(path, List.of(
                Tensor.ofFloats("attn.0", new long[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5})));
        assertArrayEquals(file(header, floats(0, 1, 2, 3, 4, 5)), Files.readAllBytes(path));
    }

    @Test
    void metadataComesFirstAndAnEmptyFileIsABraceAndPadding() throws IOException {
        Path withMetadata = dir.resolve("meta.safetensors");
        SafetensorsWriter.write(withMetadata, List.of(), Map.of("framework", "pt"));
        assertArrayEquals(file("{\"__metadata__\":{\"framework\":\"pt\"}}     ", new byte[0]),
                Files.readAllBytes(withMetadata));

        Path empty = dir.resolve("empty.safetensors");
        SafetensorsWriter.write(empty, List.of());
        assertArrayEquals(file("{}      ", new byte[0]), Files.readAllBytes(empty));
    }

    @Test
    void laysOutTensorsByDescendingAlignmentThenName() throws IOException {
        Path path = dir.resolve("mixed.safetensors");
        SafetensorsWriter.write(path, List.of(
                new Tensor("e", DType.F16, new long[] {1}, ByteBuffer.allocate(2)),
                Tensor.ofInts("c", new long[] {1}, new int[] {7}),
                Tensor.ofFloats("b", new long[] {1}, new float[] {1}),
                new Tensor("d", DType.BF16, new long[] {1}, ByteBuffer.allocate(2)),
                Tensor.ofLongs("z", new long[] {1}, new long[] {9}),
                Tensor.ofFloats("a", new long[] {1}, new float[] {2})));
        assertEquals(List.of("z", "a", "b", "c", "d", "e"), SafetensorsFile.read(path).names());
    }

    @Test
    void readsAHandWrittenFile() throws IOException {
        // Spaces, key order and metadata position are the writer's business; any valid JSON header must read.
        String header = "{ \"__metadata__\": {\"format\": \"pt\"},"
                + " \"b\": {\"data_offsets\": [6, 10], \"shape\": [2], \"dtype\": \"BF16\"},"
                + " \"h\": {\"dtype\": \"F16\", \"shape\": [3], \"data_offsets\": [0, 6]} }";
        byte[] data = {
            0x00, 0x3C, 0x00, (byte) 0xC0, (byte) 0xFF, 0x7B,  // F16 1.0, -2.0, 65504
            0x49, 0x40, 0x00, (byte) 0x80};                     // BF16 3.140625, -0.0
        Path path = dir.resolve("hand.safetensors");
        Files.write(path, file(header, data));

        SafetensorsFile read = SafetensorsFile.read(path);
        assertEquals(List.of("h", "b"), read.names());
        assertEquals(Map.of("format", "pt"), read.metadata());
        assertArrayEquals(new float[] {1.0f, -2.0f, 65504.0f}, read.tensor("h").toFloats());
        assertArrayEquals(new float[] {3.140625f, -0.0f}, read.tensor("b").toFloats());
        assertArrayEquals(new long[] {3}, read.tensor("h").shape());
        assertEquals(DType.BF16, read.tensor("b").dtype());
    }

    @Test
    void readsTheReferenceBytesBack() throws IOException {
        Path path = dir.resolve("ref.safetensors");
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ",
                floats(1.5f, -4f)));
        assertArrayEquals(new float[] {1.5f, -4f}, SafetensorsFile.read(path).tensor("a").toFloats());
    }
}
