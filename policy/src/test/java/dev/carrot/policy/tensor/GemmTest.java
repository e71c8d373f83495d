package dev.carrot.policy.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Holds {@link Gemm} to a triple loop for every transpose combination, on products small and split across threads,
 * and its matrix-vector product to the definition on blocks inside larger matrices.
 */
@ExtendWith(SupportedBlasFamily.class)
class GemmTest {

    private final SplittableRandom random = new SplittableRandom(7);

    @ParameterizedTest(name = "{0}x{1}x{2} tA={3} tB={4}")
    @CsvSource({
            "3, 5, 4, false, false", "3, 5, 4, true, false", "3, 5, 4, false, true", "3, 5, 4, true, true",
            // Tall outputs split by rows, wide few-row outputs (decoding) by columns.
            "512, 96, 80, false, false", "512, 96, 80, true, false", "512, 96, 80, false, true",
            "512, 96, 80, true, true",
            "16, 128, 1024, false, false", "16, 128, 1024, true, false", "16, 128, 1024, false, true",
            "16, 128, 1024, true, true"})
    void matchesTheDefinition(int m, int k, int n, boolean transposeA, boolean transposeB) {
        Matrix a = transposeA ? random(k, m) : random(m, k);
        Matrix b = transposeB ? random(n, k) : random(k, n);
        Matrix out = random(m, n);
        float beta = 0.5f;
        double[][] expected = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) (transposeA ? a.get(p, i) : a.get(i, p)) * (transposeB ? b.get(j, p) : b.get(p, j));
                }
                expected[i][j] = sum + beta * out.get(i, j);
            }
        }
        Gemm.matmul(out, a, transposeA, b, transposeB, beta);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected[i][j], out.get(i, j), 1e-4 * Math.max(1, Math.abs(expected[i][j])),
                        "(" + i + ", " + j + ")");
            }
        }
    }

    /**
     * Every row of a row-invariant product has the same bits whatever batch it comes in: alone, among a few rows, at
     * another place in a tile, or in the tail tile. The promise decoding and the RL scoring pass rest on; CI checks it
     * under several OpenBLAS kernel families (see the policy module's pom).
     */
    @ParameterizedTest(name = "{0}x{1}x{2} transposeB={3}")
    @CsvSource({"61, 128, 384, false", "61, 128, 384, true", "40, 37, 100, true", "37, 384, 1152, false",
            "19, 96, 600, true"})
    void rowInvariantRowsDoNotDependOnTheBatch(int m, int k, int n, boolean transposeB) {
        Matrix a = random(m, k);
        Matrix b = transposeB ? random(n, k) : random(k, n);
        Matrix all = Matrix.zeros(m, n);
        float alpha = 0.75f;
        Gemm.rowInvariant(all, a, b, transposeB, alpha);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                for (int p = 0; p < k; p++) {
                    expected += (double) a.get(i, p) * (transposeB ? b.get(j, p) : b.get(p, j));
                }
                assertEquals(alpha * expected, all.get(i, j), 1e-4 * Math.max(1, Math.abs(expected)));
            }
        }
        for (int rows : new int[] {1, 3, Gemm.ROW_TILE, Gemm.ROW_TILE + 5, 2 * Gemm.ROW_TILE + 1}) {
            int[] picked = random.ints(rows, 0, m).toArray();
            Matrix some = Matrix.zeros(rows, k);
            for (int r = 0; r < rows; r++) {
                Matrix.copy(a, (long) picked[r] * k, some, (long) r * k, k);
            }
            Matrix out = Matrix.zeros(rows, n);
            Gemm.rowInvariant(out, some, b, transposeB, alpha);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToRawIntBits(all.get(picked[r], j)), Float.floatToRawIntBits(out.get(r, j)),
                            "row " + picked[r] + " as row " + r + " of " + rows + ", column " + j);
                }
            }
        }
    }

    /** A block inside a larger matrix, with vectors at offsets inside theirs, as cached attention uses it. */
    @ParameterizedTest(name = "transposeA={0}")
    @CsvSource({"false", "true"})
    void matvecOnABlockMatchesTheDefinition(boolean transposeA) {
        int rows = 5;
        int cols = 3;
        Matrix a = random(9, 4);
        long aOffset = 2 * 4 + 1; // rows 2..6, columns 1..3
        Matrix x = random(2, 6);
        Matrix y = random(3, 7);
        Matrix untouched = Matrix.zeros(3, 7);
        untouched.copyFrom(y);
        long xOffset = 1;
        long yOffset = 8;
        int xLength = transposeA ? rows : cols;
        int yLength = transposeA ? cols : rows;
        float alpha = 0.5f;
        Gemm.matvec(a, aOffset, rows, cols, transposeA, alpha, x, xOffset, y, yOffset);
        for (int i = 0; i < 3 * 7; i++) {
            double expected = untouched.get(i / 7, i % 7);
            if (i >= yOffset && i < yOffset + yLength) {
                expected = 0;
                for (int j = 0; j < xLength; j++) {
                    int r = transposeA ? j : (int) (i - yOffset);
                    int c = transposeA ? (int) (i - yOffset) : j;
                    expected += alpha * a.get(2 + r, 1 + c) * x.get(0, (int) xOffset + j);
                }
            }
            assertEquals(expected, y.get(i / 7, i % 7), 1e-5, "y[" + i + "]");
        }
    }

    private Matrix random(int rows, int cols) {
        Matrix m = Matrix.zeros(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.set(r, c, (float) random.nextGaussian());
            }
        }
        return m;
    }
}
