package dev.carrot.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.kernels.ReferenceKernels;
import dev.carrot.policy.tensor.Gemm;
import dev.carrot.policy.tensor.Matrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tiled products of causal attention against the full products under the causal mask. */
class CausalProductsTest {

    /** Three tiles per side, the last one partial. */
    private static final int T = 2 * CausalProducts.TILE + 22;
    private static final int D = 16;
    private static final float SCALE = 0.25f;

    private final Kernels kernels = new ReferenceKernels();

    @Test
    void forwardAndBackwardEqualTheFullProductsUnderTheMask() {
        Matrix q = random(T, D, 1);
        Matrix k = random(T, D, 2);
        Matrix v = random(T, D, 3);
        Matrix dy = random(T, D, 4);

        // Reference: full T×T products; the softmax and its backward apply the mask.
        Matrix att = Matrix.zeros(T, T);
        Gemm.matmul(att, q, false, k, true, 0f);
        kernels.causalSoftmax(att, T, SCALE);
        Matrix y = Matrix.zeros(T, D);
        Gemm.matmul(y, att, false, v, false, 0f);
        Matrix dAtt = Matrix.zeros(T, T);
        Gemm.matmul(dAtt, dy, false, v, true, 0f);
        Matrix dv = Matrix.zeros(T, D);
        Gemm.matmul(dv, att, true, dy, false, 0f);
        kernels.causalSoftmaxBackward(dAtt, att, T, SCALE);
        Matrix dq = Matrix.zeros(T, D);
        Gemm.matmul(dq, dAtt, false, k, false, 0f);
        Matrix dk = Matrix.zeros(T, D);
        Gemm.matmul(dk, dAtt, true, q, false, 0f);

        // Tiled, into buffers full of NaN: a tile that is read without having been written would show.
        Matrix tiledAtt = nans(T, T);
        CausalProducts.scores(tiledAtt, q, k, T, D);
        kernels.causalSoftmax(tiledAtt, T, SCALE);
        Matrix tiledY = nans(T, D);
        CausalProducts.mix(tiledY, tiledAtt, v, T, D);
        Matrix tiledDAtt = nans(T, T);
        Matrix tiledDv = nans(T, D);
        CausalProducts.mixBackward(tiledDAtt, tiledDv, dy, tiledAtt, v, T, D);
        kernels.causalSoftmaxBackward(tiledDAtt, tiledAtt, T, SCALE);
        Matrix tiledDq = nans(T, D);
        Matrix tiledDk = nans(T, D);
        CausalProducts.scoresBackward(tiledDq, tiledDk, tiledDAtt, q, k, T, D);

        assertClose(att, tiledAtt, "att");
        assertClose(y, tiledY, "y");
        assertClose(dAtt, tiledDAtt, "dscores");
        assertClose(dv, tiledDv, "dv");
        assertClose(dq, tiledDq, "dq");
        assertClose(dk, tiledDk, "dk");
    }

    /** Equal up to the rounding of sums taken over different block sizes. */
    private static void assertClose(Matrix expected, Matrix actual, String what) {
        for (int r = 0; r < expected.rows(); r++) {
            for (int c = 0; c < expected.cols(); c++) {
                float e = expected.get(r, c);
                assertEquals(e, actual.get(r, c), 1e-5f * Math.max(1f, Math.abs(e)), what + "[" + r + ", " + c + "]");
            }
        }
    }

    private static Matrix random(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Matrix m = Matrix.zeros(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.set(r, c, (float) random.nextGaussian());
            }
        }
        return m;
    }

    private static Matrix nans(int rows, int cols) {
        Matrix m = Matrix.zeros(rows, cols);
        m.fill(Float.NaN);
        return m;
    }
}
