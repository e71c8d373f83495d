package dev.carrot.policy.model;

import dev.carrot.policy.tensor.Matrix;

/**
 * What the training forward pass keeps for the backward pass, plus the backward pass's scratch, for one batch shape
 * (B, T). Allocated once per shape and reused: no allocation on the training hot path.
 *
 * <p>Sizes: B batch, T time, C channels, H heads, D head size, V vocabulary, N = B·T.
 */
final class Activations {

    /** One block's saved tensors. */
    static final class Block {
        final Matrix ln1Out;      // [N, C]   LayerNorm 1 output
        final Matrix ln1Stats;    // [N, 2]   its mean and 1/std
        final Matrix qkv;         // [N, 3C]
        final Matrix q;           // [B·H·T, D]
        final Matrix k;           // [B·H·T, D]
        final Matrix v;           // [B·H·T, D]
        final Matrix att;         // [B·H·T, T] attention weights after the causal softmax
        final Matrix y;           // [B·H·T, D] attention output per head
        final Matrix yMerged;     // [N, C]
        final Matrix attnOut;     // [N, C]   after the output projection
        final Matrix resid2;      // [N, C]   residual stream after attention
        final Matrix ln2Out;      // [N, C]
        final Matrix ln2Stats;    // [N, 2]
        final Matrix fc;          // [N, 4C]  before GELU
        final Matrix fcGelu;      // [N, 4C]
        final Matrix mlpOut;      // [N, C]
        final Matrix resid3;      // [N, C]   block output
        final HeadBlocks qHeads;
        final HeadBlocks kHeads;
        final HeadBlocks vHeads;
        final HeadBlocks attHeads;
        final HeadBlocks yHeads;

        Block(int B, int T, int C, int H) {
            int N = B * T;
            int D = C / H;
            ln1Out = Matrix.zeros(N, C);
            ln1Stats = Matrix.zeros(N, 2);
            qkv = Matrix.zeros(N, 3 * C);
            q = Matrix.zeros(B * H * T, D);
            k = Matrix.zeros(B * H * T, D);
            v = Matrix.zeros(B * H * T, D);
            att = Matrix.zeros(B * H * T, T);
            y = Matrix.zeros(B * H * T, D);
            yMerged = Matrix.zeros(N, C);
            attnOut = Matrix.zeros(N, C);
            resid2 = Matrix.zeros(N, C);
            ln2Out = Matrix.zeros(N, C);
            ln2Stats = Matrix.zeros(N, 2);
            fc = Matrix.zeros(N, 4 * C);
            fcGelu = Matrix.zeros(N, 4 * C);
            mlpOut = Matrix.zeros(N, C);
            resid3 = Matrix.zeros(N, C);
            qHeads = new HeadBlocks(q, B * H, T);
            kHeads = new HeadBlocks(k, B * H, T);
            vHeads = new HeadBlocks(v, B * H, T);
            attHeads = new HeadBlocks(att, B * H, T);
            yHeads = new HeadBlocks(y, B * H, T);
        }
    }

    final int B;
    final int T;
    final int[] positions;     // [N] t of each row
    final Matrix encoded;      // [N, C]
    final Block[] blocks;
    final Matrix lnf;          // [N, C]
    final Matrix lnfStats;     // [N, 2]
    final Matrix logits;       // [N, V]
    final Matrix values;       // [N, 1]
    final float[] logprobs;    // [N]
    final float[] entropy;     // [N]

    // Backward scratch, shared by all blocks.
    final Matrix dResidual;    // [N, C]
    final Matrix dNormed;      // [N, C]
    final Matrix dQkv;         // [N, 3C]
    final Matrix dQ;           // [B·H·T, D]
    final Matrix dK;
    final Matrix dV;
    final Matrix dY;
    final Matrix dAtt;         // [B·H·T, T]
    final Matrix dYMerged;     // [N, C]
    final Matrix dFc;          // [N, 4C]
    final Matrix dFcGelu;      // [N, 4C]
    final Matrix dLogits;      // [N, V]
    final Matrix dValues;      // [N, 1]
    final HeadBlocks dQHeads;
    final HeadBlocks dKHeads;
    final HeadBlocks dVHeads;
    final HeadBlocks dYHeads;
    final HeadBlocks dAttHeads;

    Activations(GptConfig config, int B, int T) {
        int C = config.dModel();
        int H = config.nHeads();
        int D = config.headSize();
        int N = B * T;
        this.B = B;
        this.T = T;
        positions = new int[N];
        for (int n = 0; n < N; n++) {
            positions[n] = n % T;
        }
        encoded = Matrix.zeros(N, C);
        blocks = new Block[config.nLayers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(B, T, C, H);
        }
        lnf = Matrix.zeros(N, C);
        lnfStats = Matrix.zeros(N, 2);
        logits = Matrix.zeros(N, config.vocabSize());
        values = Matrix.zeros(N, 1);
        logprobs = new float[N];
        entropy = new float[N];

        dResidual = Matrix.zeros(N, C);
        dNormed = Matrix.zeros(N, C);
        dQkv = Matrix.zeros(N, 3 * C);
        dQ = Matrix.zeros(B * H * T, D);
        dK = Matrix.zeros(B * H * T, D);
        dV = Matrix.zeros(B * H * T, D);
        dY = Matrix.zeros(B * H * T, D);
        dAtt = Matrix.zeros(B * H * T, T);
        dYMerged = Matrix.zeros(N, C);
        dFc = Matrix.zeros(N, 4 * C);
        dFcGelu = Matrix.zeros(N, 4 * C);
        dLogits = Matrix.zeros(N, config.vocabSize());
        dValues = Matrix.zeros(N, 1);
        dQHeads = new HeadBlocks(dQ, B * H, T);
        dKHeads = new HeadBlocks(dK, B * H, T);
        dVHeads = new HeadBlocks(dV, B * H, T);
        dYHeads = new HeadBlocks(dY, B * H, T);
        dAttHeads = new HeadBlocks(dAtt, B * H, T);
    }

    boolean fits(int B, int T) {
        return this.B == B && this.T == T;
    }
}
