package dev.carrot.policy.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorTest {

    /** Half-precision bit patterns and their values, worked out from the IEEE 754 binary16 layout. */
    @ParameterizedTest
    @CsvSource({
        "0x3C00, 1.0",             // exponent 15 = bias, mantissa 0
        "0xC000, -2.0",            // sign, exponent 16
        "0x3555, 0.333251953125",  // 2^-2 * (1 + 341/1024)
        "0x7BFF, 65504.0",         // largest finite: 2^15 * (1 + 1023/1024)
        "0x0400, 6.103515625E-5",  // smallest normal: 2^-14
        "0x03FF, 6.097555160522461E-5", // largest subnormal: 1023 * 2^-24
        "0x0001, 5.9604644775390625E-8", // smallest subnormal: 2^-24
        "0x0000, 0.0",
        "0x7C00, Infinity",
        "0xFC00, -Infinity"})
    void decodesHalfPrecision(String bits, double expected) {
        assertEquals((float) expected, Tensor.halfToFloat((short) Integer.parseInt(bits.substring(2), 16)));
    }

    @Test
    void halfPrecisionKeepsTheSignOfZeroAndNaNs() {
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(Tensor.halfToFloat((short) 0x8000)));
        assertTrue(Float.isNaN(Tensor.halfToFloat((short) 0x7E00)));
        // The payload moves to the top of the float mantissa.
        assertEquals(0x7FC0_2000, Float.floatToRawIntBits(Tensor.halfToFloat((short) 0x7E01)));
    }

    @Test
    void decodesBfloat16AsTheTopHalfOfAFloat() {
        Tensor tensor = new Tensor("b", DType.BF16, new long[] {5}, shorts(0x3F80, 0xC040, 0x4049, 0x8000, 0x0001));
        float[] values = tensor.toFloats();
        assertEquals(1.0f, values[0]);
        assertEquals(-3.0f, values[1]);
        assertEquals(3.140625f, values[2]); // 2 * (1 + 73/128)
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(values[3]));
        assertEquals(0x1p-133f, values[4]); // bfloat16's smallest subnormal
    }

    @Test
    void decodesHalfTensors() {
        Tensor tensor = new Tensor("h", DType.F16, new long[] {2, 2}, shorts(0x3C00, 0xC000, 0x7BFF, 0x0001));
        assertArrayEquals(new float[] {1.0f, -2.0f, 65504.0f, 0x1p-24f}, tensor.toFloats());
    }

    @Test
    void floatTensorsKeepEveryBit() {
        float[] values = {Float.intBitsToFloat(0x7FC0_0001), Float.intBitsToFloat(0xFFA0_0000), -0.0f, 0.0f,
            Float.MIN_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        float[] back = Tensor.ofFloats("f", new long[] {values.length}, values).toFloats();
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
    }

    @Test
    void integerTensorsRoundTrip() {
        int[] ints = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
        long[] longs = {Long.MIN_VALUE, -1, 0, 1L << 40, Long.MAX_VALUE};
        assertArrayEquals(ints, Tensor.ofInts("i", new long[] {5}, ints).toInts());
        assertArrayEquals(longs, Tensor.ofLongs("l", new long[] {5}, longs).toLongs());
    }

    @Test
    void equalityIsBitwise() {
        long[] shape = {1};
        Tensor nan = Tensor.ofFloats("x", shape, new float[] {Float.intBitsToFloat(0x7FC0_0001)});
        assertEquals(nan, Tensor.ofFloats("x", shape, new float[] {Float.intBitsToFloat(0x7FC0_0001)}));
        assertEquals(nan.hashCode(), Tensor.ofFloats("x", shape, new float[] {Float.intBitsToFloat(0x7FC0_0001)})
                .hashCode());
        assertNotEquals(nan, Tensor.ofFloats("x", shape, new float[] {Float.NaN}));
        assertNotEquals(Tensor.ofFloats("x", shape, new float[] {0.0f}),
                Tensor.ofFloats("x", shape, new float[] {-0.0f}));
        assertNotEquals(nan, Tensor.ofFloats("x", new long[] {1, 1}, new float[] {Float.intBitsToFloat(0x7FC0_0001)}));
    }

    @Test
    void scalarsAndEmptyTensors() {
        assertEquals(1, Tensor.ofFloats("s", new long[0], new float[] {4f}).elementCount());
        assertEquals(0, Tensor.ofFloats("e", new long[] {3, 0}, new float[0]).toFloats().length);
    }

    @Test
    void isImmutable() {
        long[] shape = {2};
        Tensor tensor = Tensor.ofFloats("t", shape, new float[] {1f, 2f});
        shape[0] = 7;
        tensor.shape()[0] = 7;
        assertArrayEquals(new long[] {2}, tensor.shape());
        ByteBuffer data = tensor.data();
        data.position(4);
        assertEquals(8, tensor.data().remaining());
        assertTrue(data.isReadOnly());
    }

    @Test
    void rejectsDataOfTheWrongSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ofFloats("w", new long[] {3}, new float[] {1f, 2f}));
        assertEquals("tensor 'w': F32 shape [3] needs 12 bytes, got 8", e.getMessage());
    }

    @Test
    void rejectsNegativeDimensionsAndTheMetadataName() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats("n", new long[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.ofFloats(SafetensorsFile.METADATA_KEY, new long[] {0}, new float[0]));
    }

    @Test
    void readingAsTheWrongTypeNamesTheTensor() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Tensor.ofInts("ids", new long[] {1}, new int[] {1}).toFloats());
        assertEquals("tensor 'ids' is I32; reading it as floats needs F32, F16 or BF16", e.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensor.ofFloats("f", new long[] {0}, new float[0]).toInts());
        assertThrows(IllegalStateException.class, () -> Tensor.ofInts("i", new long[] {0}, new int[0]).toLongs());
    }

    private static ByteBuffer shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.flip();
    }
}
