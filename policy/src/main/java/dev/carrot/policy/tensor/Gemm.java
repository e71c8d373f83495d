package dev.carrot.policy.tensor;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Matrix products of row-major {@link Matrix} operands through OpenBLAS's {@code cblas_sgemm}, the library ND4J
 * itself loads, split across the cores by {@link Parallel} with OpenBLAS itself single-threaded.
 *
 * <p>BLAS is called directly rather than through {@code Nd4j.gemm}: libnd4j's matmul op adds about 10 µs per call
 * and, for the few-row products of decoding ([16 × 384] · [384 × 1152]), ran at half the rate of the same
 * {@code cblas_sgemm} call. The product is split here, by rows of the output or, for few-row products, by columns,
 * because OpenBLAS's own threads synchronise at barriers: on a loaded machine a product waited for a thread that
 * was not scheduled, and the small products of shape (a) ran at 28-57 GFLOP/s on two BLAS threads against 89 on
 * one. {@link Parallel}'s calling thread instead takes over ranges no other thread has claimed.
 *
 * <p>The split depends only on the sizes and {@link Parallel#threads()}, so results are reproducible run to run.
 */
public final class Gemm {

    /** Below this many multiply-adds (some 20 µs on one core) a range of a product is not worth a thread. */
    public static final long MIN_MULTIPLY_ADDS_PER_RANGE = 1 << 20;

    /** Rows of a row-invariant product's calls; see {@link #rowInvariant}. */
    public static final int ROW_TILE = 16;
    /** Columns of a row-invariant product's calls: wide enough to amortise a call, a multiple of every kernel's. */
    public static final int COLUMN_CHUNK = 256;

    private static final ThreadLocal<TileScratch> TILE_SCRATCH = ThreadLocal.withInitial(TileScratch::new);

    static {
        // Parallel supplies the threads; ND4J's blas().setMaxThreads(n) would undo this and nest two levels.
        openblas_nolapack.blas_set_num_threads(1);
    }

    private Gemm() {}

    /** {@code out = op(a) · op(b) + beta · out}, where {@code op(m)} is {@code mᵀ} when its flag is set. */
    public static void matmul(Matrix out, Matrix a, boolean transposeA, Matrix b, boolean transposeB, float beta) {
        matmul(out, a, transposeA, b, transposeB, 1f, beta);
    }

    /** {@code out = alpha · op(a) · op(b) + beta · out}: a scale folded into the product costs nothing extra. */
    public static void matmul(Matrix out, Matrix a, boolean transposeA, Matrix b, boolean transposeB, float alpha,
            float beta) {
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int kb = transposeB ? b.cols() : b.rows();
        int n = transposeB ? b.rows() : b.cols();
        if (k != kb || out.rows() != m || out.cols() != n) {
            throw new IllegalArgumentException("matmul shapes: op(a) " + m + "x" + k + ", op(b) " + kb + "x" + n
                    + ", out " + out.rows() + "x" + out.cols());
        }
        // A range re-packs the operand it does not split; splitting the output's longer side makes that the smaller
        // operand (k·n when splitting rows), a few percent of a range's work at these sizes.
        if (m >= n) {
            // Rows [from, to) of op(a) are rows of a, or columns of a when transposed.
            Parallel.forEachRange(m, (long) k * n, MIN_MULTIPLY_ADDS_PER_RANGE, (range, from, to) ->
                    sgemm(to - from, n, k, alpha, a, transposeA, transposeA ? from : (long) from * a.cols(), b,
                            transposeB, 0, beta, out, (long) from * out.cols()));
        } else {
            // Columns [from, to) of op(b) are columns of b, or rows of b when transposed.
            Parallel.forEachRange(n, (long) k * m, MIN_MULTIPLY_ADDS_PER_RANGE, (range, from, to) ->
                    sgemm(m, to - from, k, alpha, a, transposeA, 0, b, transposeB,
                            transposeB ? (long) from * b.cols() : from, beta, out, from));
        }
    }

    /**
     * {@code out = alpha · a · op(b)}, where every row of out depends only on the same row of a: the product of the
     * passes whose results must not depend on the batch (decoding, prefill, the RL scoring pass). Rows of a are
     * tokens; op(b) [k × n] is a weight matrix.
     *
     * <p>OpenBLAS's kernels do not compute every row of a product alike: in a row-major call of the Haswell/Zen
     * kernels a row's bits depend on where it sits among the call's rows and on how many there are (alike only in
     * calls of exactly 4 or 8 rows), and the SkylakeX kernels switch to another code path for small products. So
     * every row here meets the same call: rows go in tiles of exactly {@link #ROW_TILE} (the last padded), columns
     * in chunks of {@link #COLUMN_CHUNK} fixed by n alone, and each (tile, chunk) is one {@code cblas_sgemm} of the
     * same shape whatever the batch. The call computes the tile transposed, {@code (a · op(b))ᵀ} in column-major
     * order, which puts the tile's rows along the kernels' M side: there every family measured (Haswell, Zen,
     * SkylakeX, Cooperlake, Sandybridge) treats the 16 rows alike ({@code GemmTest} holds each to it), and the
     * weights are repacked once per 16 rows instead of per 8, at 2.6× (Haswell) and 3.2× (SkylakeX) the rate of
     * 8-row row-major calls — still some 75% of a whole-batch product's, so training passes that need no invariance
     * use {@link #matmul}.
     */
    public static void rowInvariant(Matrix out, Matrix a, Matrix b, boolean transposeB, float alpha) {
        int m = a.rows();
        int k = a.cols();
        int n = transposeB ? b.rows() : b.cols();
        if ((transposeB ? b.cols() : b.rows()) != k || out.rows() != m || out.cols() != n) {
            throw new IllegalArgumentException("rowInvariant shapes: a " + m + "x" + k + ", op(b) "
                    + (transposeB ? b.cols() : b.rows()) + "x" + n + ", out " + out.rows() + "x" + out.cols());
        }
        int tiles = (m + ROW_TILE - 1) / ROW_TILE;
        int chunks = (n + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
        long work = (long) ROW_TILE * Math.min(n, COLUMN_CHUNK) * k;
        Parallel.forEachRange(tiles * chunks, work, MIN_MULTIPLY_ADDS_PER_RANGE, (range, from, to) -> {
            TileScratch scratch = TILE_SCRATCH.get();
            for (int item = from; item < to; item++) {
                int row = item / chunks * ROW_TILE;
                int column = item % chunks * COLUMN_CHUNK;
                int width = Math.min(COLUMN_CHUNK, n - column);
                invariantTile(out, a, row, column, width, b, transposeB, alpha, scratch.fit(k, width));
            }
        });
    }

    /**
     * Rows [row, row + ROW_TILE) of {@code alpha · a · op(b)}, columns [column, column + width): one column-major
     * call {@code Cᵀ [width × ROW_TILE] = op(b)ᵀ · tileᵀ} into the scratch tile, then transposed into out. A tile
     * that runs past a's last row is first copied into a zero-padded scratch block, so that the call keeps its shape.
     */
    private static void invariantTile(Matrix out, Matrix a, int row, int column, int width, Matrix b,
            boolean transposeB, float alpha, TileScratch scratch) {
        int k = a.cols();
        int rows = Math.min(ROW_TILE, a.rows() - row);
        Matrix tile = a;
        long tileShift = (long) row * k;
        if (rows < ROW_TILE) {
            scratch.in.fill(0f);
            Matrix.copy(a, tileShift, scratch.in, 0, rows * k);
            tile = scratch.in;
            tileShift = 0;
        }
        // Column-major: a's row-major tile [ROW_TILE × k] reads as k × ROW_TILE (transposed: ROW_TILE × k); b [n × k]
        // (transposeB) reads as k × n as it is, b [k × n] as n × k (transposed: k × n).
        long bShift = transposeB ? (long) column * b.cols() : column;
        openblas_nolapack.cblas_sgemm(CblasColMajor, CblasTrans, transposeB ? CblasNoTrans : CblasTrans, ROW_TILE,
                width, k, alpha, shifted(tile, tileShift), k, shifted(b, bShift), b.cols(), 0f, scratch.out.pointer(),
                ROW_TILE);
        float[] transposed = scratch.transposed;
        scratch.out.floats().get(scratch.out.offset(), transposed, 0, width * ROW_TILE);
        // Read the call's columns in order (one cache line per output column) and write the rows of a heap tile.
        float[] rowMajor = scratch.rowMajor;
        for (int j = 0; j < width; j++) {
            int from = j * ROW_TILE;
            for (int r = 0; r < ROW_TILE; r++) {
                rowMajor[r * width + j] = transposed[from + r];
            }
        }
        FloatBuffer target = out.floats();
        if (width == out.cols()) {
            target.put(out.offset() + row * width, rowMajor, 0, rows * width); // the tile's rows are contiguous
        } else {
            for (int r = 0; r < rows; r++) {
                target.put(out.offset() + (row + r) * out.cols() + column, rowMajor, r * width, width);
            }
        }
    }

    /** One thread's tile buffers, reallocated only when a shape changes; see {@link #invariantTile}. */
    private static final class TileScratch {
        Matrix in;          // [ROW_TILE, k] a padded last tile
        Matrix out;         // the call's result, column-major [ROW_TILE, width] (row-major [width, ROW_TILE])
        float[] transposed; // out, on the heap
        float[] rowMajor;   // the result in out's layout [ROW_TILE, width]

        TileScratch fit(int k, int width) {
            if (in == null || in.cols() != k) {
                in = Matrix.zeros(ROW_TILE, k);
            }
            if (out == null || out.rows() != width) {
                out = Matrix.zeros(width, ROW_TILE);
                transposed = new float[width * ROW_TILE];
                rowMajor = new float[ROW_TILE * width];
            }
            return this;
        }
    }

    /**
     * {@code out = op(A) · op(B) + beta · out} on the calling thread, where op(A) is {@code m × k} and op(B) is
     * {@code k × n}, and A, B and out are the blocks that start {@code aShift}, {@code bShift} and {@code outShift}
     * elements into a, b and out, their rows as far apart as the whole matrices' ({@code cols()}). It is meant as the
     * body of loops over many small products that {@link Parallel} already splits, such as causal attention's tiles.
     */
    public static void block(int m, int n, int k, Matrix a, long aShift, boolean transposeA, Matrix b, long bShift,
            boolean transposeB, float beta, Matrix out, long outShift) {
        requireBlock("block", a, aShift, transposeA ? k : m, transposeA ? m : k, "a");
        requireBlock("block", b, bShift, transposeB ? n : k, transposeB ? k : n, "b");
        requireBlock("block", out, outShift, m, n, "out");
        sgemm(m, n, k, 1f, a, transposeA, aShift, b, transposeB, bShift, beta, out, outShift);
    }

    /** That the {@code rows × cols} block at {@code shift}, its rows {@code m.cols()} apart, lies inside m. */
    private static void requireBlock(String operation, Matrix m, long shift, int rows, int cols, String what) {
        if (rows <= 0 || cols <= 0 || cols > m.cols() || shift < 0
                || shift + (long) (rows - 1) * m.cols() + cols > m.size()) {
            throw new IndexOutOfBoundsException(operation + ": " + what + " block " + rows + "x" + cols + " at "
                    + shift + " of " + m);
        }
    }

    /** That the {@code length} contiguous elements at {@code shift} lie inside m. */
    private static void requireRun(Matrix m, long shift, int length, String what) {
        if (shift < 0 || shift + length > m.size()) {
            throw new IndexOutOfBoundsException("matvec: " + what + " of " + length + " at " + shift + " of " + m);
        }
    }

    /**
     * {@code y = alpha · op(A) · x}, where A is the {@code rows × cols} block of a starting {@code aOffset} elements
     * into it (its rows {@code a.cols()} apart), op(A) is Aᵀ when {@code transposeA} is set, and x and y are
     * contiguous runs of elements at their offsets into x and y. Runs on the calling thread: it is meant as the body of
     * loops over many small blocks that {@link Parallel} already splits, such as cached attention's heads, where the
     * blocks live off-heap and C2 would not vectorise a Java loop over them.
     */
    public static void matvec(Matrix a, long aOffset, int rows, int cols, boolean transposeA, float alpha, Matrix x,
            long xOffset, Matrix y, long yOffset) {
        requireBlock("matvec", a, aOffset, rows, cols, "a");
        requireRun(x, xOffset, transposeA ? rows : cols, "x");
        requireRun(y, yOffset, transposeA ? cols : rows, "y");
        openblas_nolapack.cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, rows, cols, alpha,
                shifted(a, aOffset), a.cols(), shifted(x, xOffset), 1, 0f, shifted(y, yOffset), 1);
    }

    private static void sgemm(int m, int n, int k, float alpha, Matrix a, boolean transposeA, long aShift, Matrix b,
            boolean transposeB, long bShift, float beta, Matrix out, long outShift) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans, m, n, k, alpha, shifted(a, aShift), a.cols(),
                shifted(b, bShift), b.cols(), beta, shifted(out, outShift), out.cols());
    }

    private static FloatPointer shifted(Matrix m, long elements) {
        return elements == 0 ? m.pointer() : new FloatPointer(m.pointer()).position(m.pointer().position() + elements);
    }
}
