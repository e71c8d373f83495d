package dev.carrot.policy.safetensors;

import static dev.carrot.policy.safetensors.SafetensorsBytes.concat;
import static dev.carrot.policy.safetensors.SafetensorsBytes.file;
import static dev.carrot.policy.safetensors.SafetensorsBytes.floats;
import static dev.carrot.policy.safetensors.SafetensorsBytes.littleEndian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a file can be damaged gives its own error, naming the file and the tensor at fault. */
class SafetensorsCorruptionTest {

    @TempDir
    Path dir;

    private Path path;
    /** "a" F32 [2] then "b" F32 [1]: 8 length bytes, 112 header bytes, 12 data bytes. */
    private byte[] valid;

    @BeforeEach
    void writeValidFile() throws IOException {
        path = dir.resolve("model.safetensors");
        SafetensorsWriter.write(path, List.of(
                Tensor.ofFloats("a", new long[] {2}, new float[] {1, 2}),
                Tensor.ofFloats("b", new long[] {1}, new float[] {3})));
        valid = Files.readAllBytes(path);
        SafetensorsFile.read(path);
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        Files.write(path, Arrays.copyOf(valid, 5));
        assertError("file is 5 bytes, too short for the 8-byte header length (truncated?)");
    }

    @Test
    void truncatedData() throws IOException {
        Files.write(path, Arrays.copyOf(valid, valid.length - 2));
        assertError("tensor 'b': data_offsets [8, 12] run past the end of the 10-byte data buffer (truncated file?)");
    }

    @Test
    void truncatedHeader() throws IOException {
        Files.write(path, Arrays.copyOf(valid, 40));
        assertError("header length 112 exceeds the 32 bytes after the length prefix (file size 40; truncated or"
                + " corrupt length?)");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        byte[] corrupt = valid.clone();
        System.arraycopy(littleEndian(valid.length), 0, corrupt, 0, 8);
        Files.write(path, corrupt);
        assertError("header length 132 exceeds the 124 bytes after the length prefix (file size 132; truncated or"
                + " corrupt length?)");
    }

    @Test
    void headerLengthBeyondAnySaneHeader() throws IOException {
        byte[] corrupt = valid.clone();
        corrupt[7] = (byte) 0x80; // the top bit: as unsigned, 2^63 + 112
        Files.write(path, corrupt);
        assertError("header length 9223372036854775920 exceeds the 100000000-byte limit (corrupt length prefix?)");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",", new byte[0]));
        assertErrorStartsWith("header is not valid JSON at column 21: Unexpected end-of-input");
    }

    @Test
    void headerThatIsNotAnObject() throws IOException {
        Files.write(path, file("[1, 2]  ", new byte[0]));
        assertError("header does not start with '{' (not a safetensors file?)");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        Files.write(path, concat(littleEndian(8), new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}', ' '}));
        assertError("header is not valid UTF-8");
    }

    @Test
    void duplicateTensorName() throws IOException {
        String entry = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        Files.write(path, file("{\"a\":" + entry + ",\"a\":" + entry + "}", floats(1)));
        assertErrorStartsWith("header is not valid JSON at column");
    }

    @Test
    void unknownDtype() throws IOException {
        Files.write(path, file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]));
        assertError("tensor 'a': unsupported dtype \"F8_E4M3\"; supported: [F16, BF16, I32, F32, I64]");
    }

    @Test
    void offsetsThatDisagreeWithTheShape() throws IOException {
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floats(1, 2)));
        assertError("tensor 'a': data_offsets [0, 8] span 8 bytes but F32 shape [3] needs 12");
    }

    @Test
    void overlappingTensors() throws IOException {
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", floats(1, 2, 3)));
        assertError("tensor 'b': data_offsets [4, 12] overlap tensor 'a' at [0, 8]");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", floats(1, 2, 3)));
        assertError("tensor 'b': data_offsets [8, 12] leave bytes 4..8 unused; tensors must be contiguous");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        Files.write(path, concat(valid, new byte[] {0, 0, 0, 0}));
        assertError("the data buffer is 16 bytes but the tensors cover 12; 4 trailing bytes belong to no tensor");
    }

    @Test
    void offsetsThatAreNotAPair() throws IOException {
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", floats(1)));
        assertError("tensor 'a': data_offsets must be [begin, end] with begin <= end, got [4, 0]");
    }

    @Test
    void negativeDimension() throws IOException {
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", floats(1)));
        assertError("tensor 'a': shape must be an array of non-negative integers, got [-1]");
    }

    @Test
    void shapeThatOverflows() throws IOException {
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}",
                floats(1)));
        assertError("tensor 'a': shape [4294967296, 4294967296] overflows");
    }

    @Test
    void metadataThatIsNotStrings() throws IOException {
        Files.write(path, file("{\"__metadata__\":{\"step\":12}}", new byte[0]));
        assertError("__metadata__.step must be a string, got 12");
    }

    private void assertError(String expected) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.read(path));
        assertEquals(path + ": " + expected, e.getMessage());
        assertEquals(path, e.file());
    }

    private void assertErrorStartsWith(String expected) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.read(path));
        String message = e.getMessage();
        assertEquals(path + ": " + expected, message.substring(0, Math.min(message.length(),
                (path + ": " + expected).length())), message);
    }
}
