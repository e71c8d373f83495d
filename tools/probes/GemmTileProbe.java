import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.util.Arrays;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Which row tiles OpenBLAS computes alike, and how fast: the measurements behind {@code Gemm.rowInvariant}.
 *
 * <pre>
 * ./carrot --help >/dev/null   # builds cli/target/lib
 * OPENBLAS_CORETYPE=Haswell java -cp "cli/target/lib/*" tools/probes/GemmTileProbe.java
 * </pre>
 *
 * Part 1: for tiles of R rows, row-major calls and transposed (column-major) calls, a probe row is placed at every
 * position of the tile among zero rows and among random rows; every placement must give the probe row's outputs the
 * same bits. Prints the number of differing outputs (0 = the tile treats rows alike). Part 2: GFLOP/s of 1536-row
 * products computed whole and tile by tile (columns in chunks of 256), one thread, best of five.
 */
public class GemmTileProbe {

    private static final int[][] SHAPES = {{256, 192}, {256, 768}, {192, 192}, {768, 192}, {576, 192}, {256, 128},
            {64, 192}, {50, 37}, {1, 64}, {3, 200}, {100, 32}, {256, 1000}, {17, 5}};
    private static final int CHUNK = 256;

    public static void main(String[] args) {
        blas_set_num_threads(1);
        String family = System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(OpenBLAS's own choice)");
        Random random = new Random(1);
        for (boolean transposed : new boolean[] {false, true}) {
            for (int rows : new int[] {4, 8, 16, 32, 64}) {
                for (boolean weightTransposed : new boolean[] {true, false}) {
                    System.out.printf("%s %s R=%d weight %s: %d differing outputs%n", family,
                            transposed ? "transposed" : "row-major", rows, weightTransposed ? "[n,k]" : "[k,n]",
                            differing(transposed, rows, weightTransposed, random));
                }
            }
        }
        for (int[] shape : new int[][] {{576, 192}, {192, 192}, {768, 192}, {192, 768}, {768, 768}}) {
            StringBuilder line = new StringBuilder(String.format("%s GFLOP/s 1536x%dx%d:", family, shape[0], shape[1]));
            line.append(String.format("  whole %.1f", rate(false, 1536, shape[0], shape[1], random)));
            for (boolean transposed : new boolean[] {false, true}) {
                for (int rows : new int[] {8, 16, 32}) {
                    line.append(String.format("  %s%d %.1f", transposed ? "transposed" : "row-major", rows,
                            rate(transposed, rows, shape[0], shape[1], random)));
                }
            }
            System.out.println(line);
        }
    }

    /** Y [R × n] = X [R × k] · op(W) as one call; the transposed call writes Yᵀ and is transposed back. */
    private static float[] tile(boolean transposed, int rows, int n, int k, FloatPointer x, FloatPointer w,
            boolean weightTransposed, FloatPointer out) {
        float[] y = new float[rows * n];
        if (!transposed) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, weightTransposed ? CblasTrans : CblasNoTrans, rows, n, k, 1f, x,
                    k, w, weightTransposed ? k : n, 0f, out, n);
            out.get(y);
            return y;
        }
        cblas_sgemm(CblasColMajor, CblasTrans, weightTransposed ? CblasNoTrans : CblasTrans, rows, n, k, 1f, x, k, w,
                weightTransposed ? k : n, 0f, out, rows);
        float[] t = new float[rows * n];
        out.get(t);
        for (int j = 0; j < n; j++) {
            for (int r = 0; r < rows; r++) {
                y[r * n + j] = t[j * rows + r];
            }
        }
        return y;
    }

    private static int differing(boolean transposed, int rows, boolean weightTransposed, Random random) {
        int bad = 0;
        for (int[] shape : SHAPES) {
            int n = shape[0];
            int k = shape[1];
            FloatPointer w = pointer(gaussian(n * k, random));
            float[] probe = gaussian(k, random);
            FloatPointer out = new FloatPointer((long) rows * n);
            float[] reference = null;
            for (int position = 0; position < rows; position++) {
                for (boolean zeros : new boolean[] {true, false}) {
                    float[] x = zeros ? new float[rows * k] : gaussian(rows * k, random);
                    System.arraycopy(probe, 0, x, position * k, k);
                    float[] y = tile(transposed, rows, n, k, pointer(x), w, weightTransposed, out);
                    float[] row = Arrays.copyOfRange(y, position * n, position * n + n);
                    if (reference == null) {
                        reference = row;
                    }
                    for (int j = 0; j < n; j++) {
                        bad += Float.floatToRawIntBits(row[j]) != Float.floatToRawIntBits(reference[j]) ? 1 : 0;
                    }
                }
            }
        }
        return bad;
    }

    /** GFLOP/s of a 1536-row product, whole ({@code rows} = 1536) or in tiles of {@code rows}, best of five. */
    private static double rate(boolean transposed, int rows, int n, int k, Random random) {
        int m = 1536;
        FloatPointer x = pointer(gaussian(m * k, random));
        FloatPointer w = pointer(gaussian(n * k, random));
        FloatPointer y = new FloatPointer((long) m * n);
        FloatPointer scratch = new FloatPointer((long) rows * CHUNK);
        double best = Double.MAX_VALUE;
        for (int repeat = 0; repeat < 5; repeat++) {
            long start = System.nanoTime();
            for (int r = 0; r < m; r += rows) {
                for (int c = 0; c < n; c += (rows == m ? n : CHUNK)) {
                    int width = rows == m ? n : Math.min(CHUNK, n - c);
                    FloatPointer xs = new FloatPointer(x).position((long) r * k);
                    FloatPointer ws = new FloatPointer(w).position((long) c * k);
                    if (transposed) {
                        cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, rows, width, k, 1f, xs, k, ws, k, 0f,
                                scratch, rows);
                    } else {
                        FloatPointer ys = new FloatPointer(y).position((long) r * n + c);
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, width, k, 1f, xs, k, ws, k, 0f, ys,
                                n);
                    }
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * m * n * k / best / 1e9;
    }

    private static float[] gaussian(int count, Random random) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static FloatPointer pointer(float[] values) {
        FloatPointer p = new FloatPointer(values.length);
        p.put(values);
        return p;
    }
}
