package dev.carrot.policy.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor: element type, shape (row-major, as in safetensors) and its raw little-endian bytes.
 *
 * <p>The bytes are held in a read-only buffer; for a tensor read from a file it is a view of the memory-mapped file,
 * so nothing is copied until {@link #toFloats()} and friends. Equality compares the bytes, so two tensors are equal
 * exactly when they are bit-for-bit the same (NaN payloads and the sign of zero included).
 *
 * @param name  the tensor's key in the file; any string but {@value SafetensorsFile#METADATA_KEY}
 * @param dtype the element type
 * @param shape the dimensions, each non-negative; empty for a scalar
 * @param data  exactly {@code elementCount() * dtype.byteSize()} bytes, from its position to its limit
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        if (name.equals(SafetensorsFile.METADATA_KEY)) {
            throw new IllegalArgumentException("a tensor cannot be named " + SafetensorsFile.METADATA_KEY
                    + ", which safetensors reserves for metadata");
        }
        shape = shape.clone();
        long expected = Math.multiplyExact(elementCount(shape), dtype.byteSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + " shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An F32 tensor holding a copy of {@code values}. */
    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer data = allocate(values.length, DType.F32);
        data.asFloatBuffer().put(values);
        return new Tensor(name, DType.F32, shape, data);
    }

    /** An I32 tensor holding a copy of {@code values}. */
    public static Tensor ofInts(String name, long[] shape, int[] values) {
        ByteBuffer data = allocate(values.length, DType.I32);
        data.asIntBuffer().put(values);
        return new Tensor(name, DType.I32, shape, data);
    }

    /** An I64 tensor holding a copy of {@code values}. */
    public static Tensor ofLongs(String name, long[] shape, long[] values) {
        ByteBuffer data = allocate(values.length, DType.I64);
        data.asLongBuffer().put(values);
        return new Tensor(name, DType.I64, shape, data);
    }

    private static ByteBuffer allocate(int elements, DType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(elements, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view of the bytes, positioned at 0; each call returns an independent view. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The product of the dimensions (1 for a scalar). */
    public long elementCount() {
        return elementCount(shape);
    }

    private static long elementCount(long[] shape) {
        long count = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dimension);
        }
        return count;
    }

    /**
     * The elements as {@code float}s: F32 as stored, F16 and BF16 widened exactly (every half and bfloat16 value,
     * NaN payloads aside, is a float).
     *
     * @throws IllegalStateException if the dtype is not a floating-point one, or there are too many elements for an
     *                               array
     */
    public float[] toFloats() {
        float[] values = new float[arrayLength()];
        switch (dtype) {
            case F32 -> data().asFloatBuffer().get(values);
            case F16 -> {
                ShortBuffer halves = data().asShortBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = halfToFloat(halves.get(i));
                }
            }
            case BF16 -> {
                ShortBuffer halves = data().asShortBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat((halves.get(i) & 0xFFFF) << 16);
                }
            }
            default -> throw wrongType("floats", "F32, F16 or BF16");
        }
        return values;
    }

    /**
     * The elements of an I32 tensor.
     *
     * @throws IllegalStateException if the dtype is not I32, or there are too many elements for an array
     */
    public int[] toInts() {
        if (dtype != DType.I32) {
            throw wrongType("ints", "I32");
        }
        int[] values = new int[arrayLength()];
        data().asIntBuffer().get(values);
        return values;
    }

    /**
     * The elements of an I64 tensor.
     *
     * @throws IllegalStateException if the dtype is not I64, or there are too many elements for an array
     */
    public long[] toLongs() {
        if (dtype != DType.I64) {
            throw wrongType("longs", "I64");
        }
        long[] values = new long[arrayLength()];
        data().asLongBuffer().get(values);
        return values;
    }

    /**
     * Widens an IEEE 754 half (1 sign, 5 exponent, 10 mantissa bits, bias 15) to a float (bias 127). Subnormal halves
     * become normal floats; infinities stay infinite and NaNs keep their payload in the top mantissa bits.
     */
    static float halfToFloat(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    private int arrayLength() {
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor '" + name + "' has " + count
                    + " elements, too many for a Java array; read data() instead");
        }
        return (int) count;
    }

    private IllegalStateException wrongType(String wanted, String types) {
        return new IllegalStateException("tensor '" + name + "' is " + dtype + "; reading it as " + wanted
                + " needs " + types);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && data.equals(that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + dtype + ", shape=" + Arrays.toString(shape) + "]";
    }
}
