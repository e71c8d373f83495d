package dev.carrot.policy.model;

import dev.carrot.policy.tensor.Matrix;

/** The per-(batch, head) {@code [T, cols]} blocks of a head-major {@code [B·H·T, cols]} matrix, as gemm operands. */
final class HeadBlocks {

    private final Matrix[] blocks;

    HeadBlocks(Matrix headMajor, int batchTimesHeads, int T) {
        blocks = new Matrix[batchTimesHeads];
        int cols = headMajor.cols();
        for (int i = 0; i < batchTimesHeads; i++) {
            blocks[i] = Matrix.view(headMajor, (long) i * T * cols, T, cols);
        }
    }

    Matrix get(int i) {
        return blocks[i];
    }

    int count() {
        return blocks.length;
    }
}
