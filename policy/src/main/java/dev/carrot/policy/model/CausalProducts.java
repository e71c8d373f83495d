package dev.carrot.policy.model;

import dev.carrot.policy.tensor.Gemm;
import dev.carrot.policy.tensor.Matrix;

/**
 * The matrix products of causal self-attention for one (batch, head) block, computed only over the tiles of
 * {@link #TILE} queries × {@link #TILE} keys on or below the diagonal. Above it the scores are masked and the
 * weights zero, so those tiles carry nothing: with T = 256, 10 of 16 tiles are computed.
 *
 * <p>Sizes: T positions, D channels per head. Operands are the head blocks of {@link Activations}: q, k, v, y and
 * their gradients [T, D]; att and datt [T, T]. Above-diagonal tiles of the score matrices are left as they were,
 * which the causal softmax and its backward never read: they overwrite every entry past the diagonal with zero.
 * The plain reference is the full products followed by the mask, which {@code CausalProductsTest} holds these to.
 */
final class CausalProducts {

    /** Tile side: 64×64 products still run near the GEMM rate, and T = 256 skips 6 of 16 tiles. */
    static final int TILE = 64;

    private CausalProducts() {}

    /** att [T, T] = q · kᵀ on and below the diagonal (the raw scores; the scale is folded into the softmax). */
    static void scores(Matrix att, Matrix q, Matrix k, int T, int D) {
        for (int r0 = 0; r0 < T; r0 += TILE) {
            int r1 = Math.min(T, r0 + TILE);
            // queries [r0, r1) see keys [0, r1)
            Gemm.block(r1 - r0, r1, D, q, (long) r0 * D, false, k, 0, true, 0f, att, (long) r0 * T);
        }
    }

    /** y [T, D] = att · v, where att [T, T] is zero above the diagonal. */
    static void mix(Matrix y, Matrix att, Matrix v, int T, int D) {
        for (int r0 = 0; r0 < T; r0 += TILE) {
            int r1 = Math.min(T, r0 + TILE);
            Gemm.block(r1 - r0, D, r1, att, (long) r0 * T, false, v, 0, false, 0f, y, (long) r0 * D);
        }
    }

    /** Backward of {@link #mix}: datt = dy · vᵀ on and below the diagonal; dv = attᵀ · dy. */
    static void mixBackward(Matrix datt, Matrix dv, Matrix dy, Matrix att, Matrix v, int T, int D) {
        for (int c0 = 0; c0 < T; c0 += TILE) {
            int c1 = Math.min(T, c0 + TILE);
            Gemm.block(c1 - c0, c1, D, dy, (long) c0 * D, false, v, 0, true, 0f, datt, (long) c0 * T);
            // keys [c0, c1) are seen by queries [c0, T) only
            Gemm.block(c1 - c0, D, T - c0, att, (long) c0 * T + c0, true, dy, (long) c0 * D, false, 0f, dv,
                    (long) c0 * D);
        }
    }

    /** Backward of {@link #scores}: dq = dscores · k; dk = dscoresᵀ · q, with dscores [T, T] zero above the diagonal. */
    static void scoresBackward(Matrix dq, Matrix dk, Matrix dscores, Matrix q, Matrix k, int T, int D) {
        for (int c0 = 0; c0 < T; c0 += TILE) {
            int c1 = Math.min(T, c0 + TILE);
            Gemm.block(c1 - c0, D, c1, dscores, (long) c0 * T, false, k, 0, false, 0f, dq, (long) c0 * D);
            Gemm.block(c1 - c0, D, T - c0, dscores, (long) c0 * T + c0, true, q, (long) c0 * D, false, 0f, dk,
                    (long) c0 * D);
        }
    }
}
