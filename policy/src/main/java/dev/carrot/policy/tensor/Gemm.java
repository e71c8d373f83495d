package dev.carrot.policy.tensor;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products of row-major {@link Matrix} operands through ND4J's BLAS gemm.
 *
 * <p>BLAS is column-major and ND4J's gemm is fastest into a column-major output, so {@code out = op(a) op(b)} is
 * computed as {@code outᵀ = op(b)ᵀ op(a)ᵀ} into the column-major view of {@code out}; a row-major operand passed
 * with the transpose flag flipped is exactly the transposed column-major operand BLAS wants, so no data moves.
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
        Nd4j.gemm(b.rowMajor(), a.rowMajor(), out.transposedColMajor(), !transposeB, !transposeA, 1.0, beta);
    }
}
