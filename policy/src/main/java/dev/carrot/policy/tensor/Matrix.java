package dev.carrot.policy.tensor;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A row-major float matrix in off-heap memory, carrying the views its users need, created once.
 *
 * <p>Java kernels read and write {@link #floats()} at {@code offset() + r * cols() + c}; {@link Gemm} hands
 * {@link #pointer()} to BLAS. Creating an ND4J view costs about 20 µs, more than a small matmul, so
 * {@link #rowMajor()} is made on first use and never on a hot path.
 */
public final class Matrix {

    private final DataBuffer buffer;
    private final long offset;
    private final int rows;
    private final int cols;
    private final FloatBuffer floats;
    private final FloatPointer pointer;
    private INDArray rowMajor;

    private Matrix(DataBuffer buffer, FloatBuffer floats, long offset, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix must be non-empty, got " + rows + "x" + cols);
        }
        if (offset < 0 || offset + (long) rows * cols > buffer.length()) {
            throw new IllegalArgumentException("view [" + offset + ", +" + rows + "x" + cols + ") exceeds buffer of "
                    + buffer.length());
        }
        this.buffer = buffer;
        this.floats = floats;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.pointer = new FloatPointer(buffer.addressPointer()).position(offset);
    }

    /** A zero-filled matrix with its own buffer. */
    public static Matrix zeros(int rows, int cols) {
        DataBuffer buffer = Nd4j.createBuffer(DataType.FLOAT, (long) rows * cols, true);
        return new Matrix(buffer, buffer.asNioFloat(), 0, rows, cols);
    }

    /** A view of {@code rows x cols} elements of {@code parent}'s buffer starting {@code elementOffset} past its start. */
    public static Matrix view(Matrix parent, long elementOffset, int rows, int cols) {
        return new Matrix(parent.buffer, parent.floats, parent.offset + elementOffset, rows, cols);
    }

    /** A view of the first {@code rows} rows, e.g. the live part of a buffer sized for the largest batch. */
    public Matrix topRows(int rows) {
        return rows == this.rows ? this : view(this, 0, rows, cols);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public long size() {
        return (long) rows * cols;
    }

    /** Element offset of {@code (0, 0)} in {@link #floats()}. */
    public int offset() {
        return Math.toIntExact(offset);
    }

    /** The whole underlying buffer; index it from {@link #offset()}. */
    public FloatBuffer floats() {
        return floats;
    }

    /** This matrix as an ND4J array sharing its memory. */
    public INDArray rowMajor() {
        if (rowMajor == null) {
            rowMajor = Nd4j.create(buffer, new long[] {rows, cols}, new long[] {cols, 1}, offset, 'c');
        }
        return rowMajor;
    }

    /** The address of element {@code (0, 0)}, for native calls. */
    FloatPointer pointer() {
        return pointer;
    }

    public float get(int r, int c) {
        return floats.get(index(r, c));
    }

    public void set(int r, int c, float value) {
        floats.put(index(r, c), value);
    }

    private int index(int r, int c) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("(" + r + ", " + c + ") outside " + rows + "x" + cols);
        }
        return Math.toIntExact(offset + (long) r * cols + c);
    }

    public void fill(float value) {
        int start = offset();
        int end = start + Math.toIntExact(size());
        for (int i = start; i < end; i++) {
            floats.put(i, value);
        }
    }

    public void copyFrom(Matrix other) {
        requireSameShape(other);
        int n = Math.toIntExact(size());
        for (int i = 0; i < n; i++) {
            floats.put(offset() + i, other.floats.get(other.offset() + i));
        }
    }

    public void copyFrom(float[] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " values, got " + values.length);
        }
        floats.put(offset(), values);
    }

    /** Copies {@code count} elements from {@code src} at {@code srcOffset} to {@code dst} at {@code dstOffset}. */
    public static void copy(Matrix src, long srcOffset, Matrix dst, long dstOffset, int count) {
        if (srcOffset < 0 || srcOffset + count > src.size() || dstOffset < 0 || dstOffset + count > dst.size()) {
            throw new IndexOutOfBoundsException("copy of " + count + " elements from " + srcOffset + " of " + src
                    + " to " + dstOffset + " of " + dst);
        }
        FloatBuffer from = src.floats.duplicate();
        from.position(Math.toIntExact(src.offset + srcOffset)).limit(Math.toIntExact(src.offset + srcOffset + count));
        FloatBuffer to = dst.floats.duplicate();
        to.position(Math.toIntExact(dst.offset + dstOffset));
        to.put(from);
    }

    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size())];
        floats.get(offset(), out);
        return out;
    }

    void requireSameShape(Matrix other) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException("shape mismatch: " + rows + "x" + cols + " vs " + other.rows + "x" + other.cols);
        }
    }

    @Override
    public String toString() {
        return "Matrix[" + rows + "x" + cols + "]";
    }
}
