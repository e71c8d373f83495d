package dev.carrot.policy.tensor;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Matrix products of row-major {@link Matrix} operands through OpenBLAS's {@code cblas_sgemm}, the library ND4J
 * itself loads (its thread count is ND4J's BLAS thread setting).
 *
 * <p>BLAS is called directly rather than through {@code Nd4j.gemm}: libnd4j's matmul op adds about 10 µs per call
 * and, for the few-row products of decoding ([16 × 384] · [384 × 1152]), ran at half the rate of the same
 * {@code cblas_sgemm} call (400 µs against 160 µs on two cores).
 */
public final class Gemm {

    private Gemm() {}

    /** {@code out = op(a) · op(b) + beta · out}, where {@code op(m)} is {@code mᵀ} when its flag is set. */
    public static void matmul(Matrix out, Matrix a, boolean transposeA, Matrix b, boolean transposeB, float beta) {
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int kb = transposeB ? b.cols() : b.rows();
        int n = transposeB ? b.rows() : b.cols();
        if (k != kb || out.rows() != m || out.cols() != n) {
            throw new IllegalArgumentException("matmul shapes: op(a) " + m + "x" + k + ", op(b) " + kb + "x" + n
                    + ", out " + out.rows() + "x" + out.cols());
        }
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans, m, n, k, 1f, a.pointer(), a.cols(), b.pointer(), b.cols(),
                beta, out.pointer(), out.cols());
    }
}
