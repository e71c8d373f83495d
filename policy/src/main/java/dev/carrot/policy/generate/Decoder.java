package dev.carrot.policy.generate;

import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tensor.Gemm;
import dev.carrot.policy.tensor.Matrix;

/**
 * Incremental decoding with a key/value cache for S sequences at once, each at its own position, so prompts of
 * different lengths share every step. Sizes: S sequences, C channels, H heads, D head size, V vocabulary.
 * All buffers are allocated once here; a step allocates nothing.
 */
public final class Decoder {

    private final Gpt model;
    private final GptConfig config;
    private final GptParameters w;
    private final Kernels kernels;
    private final int sequences;
    private final Matrix[] keys;      // per layer [S·H·T_max, D]
    private final Matrix[] values;    // per layer [S·H·T_max, D]
    private final Matrix x;           // [S, C] residual stream
    private final Matrix normed;      // [S, C]
    private final Matrix stats;       // [S, 2]
    private final Matrix qkv;         // [S, 3C]
    private final Matrix weights;     // [S·H, T_max] attention weights
    private final Matrix attended;    // [S, C]
    private final Matrix projected;   // [S, C]
    private final Matrix fc;          // [S, 4C]
    private final Matrix fcGelu;      // [S, 4C]
    private final Matrix logits;      // [S, V]

    public Decoder(Gpt model, int sequences) {
        this.model = model;
        this.config = model.config();
        this.w = model.parameters();
        this.kernels = model.kernels();
        this.sequences = sequences;
        int C = config.dModel();
        int rowsPerLayer = sequences * config.nHeads() * config.contextLength();
        keys = new Matrix[config.nLayers()];
        values = new Matrix[config.nLayers()];
        for (int l = 0; l < config.nLayers(); l++) {
            keys[l] = Matrix.zeros(rowsPerLayer, config.headSize());
            values[l] = Matrix.zeros(rowsPerLayer, config.headSize());
        }
        x = Matrix.zeros(sequences, C);
        normed = Matrix.zeros(sequences, C);
        stats = Matrix.zeros(sequences, 2);
        qkv = Matrix.zeros(sequences, 3 * C);
        weights = Matrix.zeros(sequences * config.nHeads(), config.contextLength());
        attended = Matrix.zeros(sequences, C);
        projected = Matrix.zeros(sequences, C);
        fc = Matrix.zeros(sequences, 4 * C);
        fcGelu = Matrix.zeros(sequences, 4 * C);
        logits = Matrix.zeros(sequences, config.vocabSize());
    }

    /**
     * Feeds {@code tokens} [S·T] (each sequence right-padded to T) in one batched pass, filling the cache for
     * positions {@code 0..T-1}, and returns the logits [S·T, V]. Positions past a sequence's real length hold padding
     * in the cache until decoding overwrites them, which it does before attending to them.
     */
    public Matrix prefill(int[] tokens, int T) {
        if (tokens.length != sequences * T) {
            throw new IllegalArgumentException("expected " + sequences + " sequences of " + T + " tokens");
        }
        return model.prefill(tokens, sequences, T, keys, values);
    }

    public int sequences() {
        return sequences;
    }

    /**
     * Feeds {@code tokens[s]} at {@code positions[s]} for every sequence, caching its keys and values, and returns
     * the next-token logits [S, V] (a view reused by the next step). Positions must advance one at a time per
     * sequence from 0: the cache holds positions {@code 0..positions[s]} afterwards.
     */
    public Matrix step(int[] tokens, int[] positions) {
        if (tokens.length != sequences || positions.length != sequences) {
            throw new IllegalArgumentException("expected " + sequences + " tokens and positions");
        }
        for (int s = 0; s < sequences; s++) {
            if (positions[s] < 0 || positions[s] >= config.contextLength()) {
                throw new IllegalArgumentException("position " + positions[s] + " of sequence " + s
                        + " is outside the context [0, " + config.contextLength() + ")");
            }
        }
        int H = config.nHeads();
        int maxT = config.contextLength();
        kernels.embed(x, tokens, positions, w.wte(), w.wpe());
        for (int l = 0; l < config.nLayers(); l++) {
            GptParameters.Block b = w.block(l);
            kernels.layerNorm(normed, stats, x, b.ln1Weight(), b.ln1Bias());
            linear(qkv, normed, b.attnWeight(), b.attnBias());
            kernels.writeCache(keys[l], qkv, 1, positions, H, maxT);
            kernels.writeCache(values[l], qkv, 2, positions, H, maxT);
            kernels.cachedAttention(attended, weights, qkv, keys[l], values[l], positions, H, maxT);
            linear(projected, attended, b.attnProjWeight(), b.attnProjBias());
            kernels.add(x, x, projected);
            kernels.layerNorm(normed, stats, x, b.ln2Weight(), b.ln2Bias());
            linear(fc, normed, b.fcWeight(), b.fcBias());
            kernels.gelu(fcGelu, fc);
            linear(projected, fcGelu, b.fcProjWeight(), b.fcProjBias());
            kernels.add(x, x, projected);
        }
        kernels.layerNorm(normed, stats, x, w.lnfWeight(), w.lnfBias());
        Gemm.rowInvariant(logits, normed, w.lmHead(), true, 1f);
        return logits;
    }

    /** As the model's batch-invariant forward pass computes it, so that decoding gives the same numbers. */
    private void linear(Matrix out, Matrix in, Matrix weight, Matrix bias) {
        Gemm.rowInvariant(out, in, weight, false, 1f);
        kernels.addBias(out, bias);
    }
}
