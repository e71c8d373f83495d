package dev.carrot.policy.safetensors;

/**
 * The element types Carrot reads and writes, under their safetensors names. Data is always little-endian.
 *
 * <p>The constants are declared in increasing alignment, in the same relative order as the reference
 * implementation's dtype list: its writer lays tensors out by descending dtype in that order, then by name, and
 * {@link SafetensorsWriter} does the same so that both produce identical files.
 */
public enum DType {
    /** IEEE 754 half precision; read as {@code float}. */
    F16(2),
    /** bfloat16, the upper half of a {@code float}; read as {@code float}. */
    BF16(2),
    I32(4),
    F32(4),
    I64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }
}
