package dev.carrot.policy.model;

import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.tensor.Gemm;
import dev.carrot.policy.tensor.Matrix;
import dev.carrot.policy.tensor.Parallel;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A decoder-only, pre-LayerNorm Transformer of the GPT-2 family with an explicit, layer-by-layer backward pass.
 *
 * <p>Sizes: B batch, T time, C channels, H heads, D = C/H head size, V vocabulary, N = B·T rows.
 * Sequences are right-padded; the causal mask already keeps real tokens from attending to padding, so no
 * attention mask is needed and a loss mask decides which positions count.
 *
 * <p>The training interface is deliberately narrow: {@link #forward} gives per-token log-probabilities of the
 * targets, entropies and values; {@link #backward} takes the loss's gradient with respect to exactly those and
 * accumulates parameter gradients. Every loss (next-token cross-entropy, PPO's clipped surrogate, an entropy bonus,
 * the value loss) is a function of those three vectors, so one backward serves them all.
 */
public final class Gpt {

    private final GptConfig config;
    private final GptParameters parameters;
    private final Kernels kernels;
    private GptParameters gradients;
    private Activations acts;
    /** Activations kept for a second batch shape, so that alternating shapes (prefill, training) do not reallocate. */
    private Activations spare;
    private int[] tokens;
    private int[] targets;
    private float logitScale; // 1/temperature of the last forward pass
    private ForwardMode mode; // of the last forward pass

    public Gpt(GptParameters parameters, Kernels kernels) {
        this.config = parameters.config();
        this.parameters = parameters;
        this.kernels = kernels;
    }

    public GptConfig config() {
        return config;
    }

    public GptParameters parameters() {
        return parameters;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** Gradients accumulated by {@link #backward} since the last {@link #zeroGradients}; allocated on first use. */
    public GptParameters gradients() {
        if (gradients == null) {
            gradients = GptParameters.zeros(config);
        }
        return gradients;
    }

    public void zeroGradients() {
        gradients().zero();
    }

    /**
     * Runs the model on {@code tokens} [B·T] and scores {@code targets} [B·T] (usually the tokens shifted left).
     * Keeps what {@link #backward} needs.
     */
    public ForwardOutput forward(int[] tokens, int[] targets, int B, int T) {
        return forward(tokens, targets, B, T, 1f);
    }

    /**
     * As {@link #forward(int[], int[], int, int)}, for the policy at {@code temperature}: logits divided by it, as the
     * sampler draws from them, so log-probabilities, entropies and their gradients are those of the distribution that
     * sampled at that temperature. RL trainers that sample below 1 need this for the ratio and the KL to be exact.
     */
    public ForwardOutput forward(int[] tokens, int[] targets, int B, int T, float temperature) {
        return forward(tokens, targets, B, T, temperature, ForwardMode.FAST);
    }

    /**
     * As {@link #forward(int[], int[], int, int, float)}, with products computed as {@code mode} says: a
     * {@link ForwardMode#BATCH_INVARIANT} pass gives every sequence the numbers decoding gives it, whatever the
     * batch. {@link #backward} works after either.
     */
    public ForwardOutput forward(int[] tokens, int[] targets, int B, int T, float temperature, ForwardMode mode) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature: expected a positive number, got " + temperature);
        }
        validate(tokens, "tokens", B, T);
        validate(targets, "targets", B, T);
        if (acts == null || !acts.fits(B, T)) {
            Activations previous = acts;
            if (spare != null && spare.fits(B, T)) {
                acts = spare;
            } else {
                spare = null; // let the old buffers go before allocating new ones
                acts = new Activations(config, B, T);
            }
            spare = previous;
        }
        this.tokens = tokens.clone();
        this.targets = targets.clone();
        this.logitScale = 1f / temperature;
        this.mode = mode;
        Activations a = acts;
        kernels.embed(a.encoded, tokens, a.positions, parameters.wte(), parameters.wpe());
        Matrix x = a.encoded;
        for (int l = 0; l < config.nLayers(); l++) {
            blockForward(parameters.block(l), a.blocks[l], x, B, T);
            x = a.blocks[l].resid3;
        }
        kernels.layerNorm(a.lnf, a.lnfStats, x, parameters.lnfWeight(), parameters.lnfBias());
        product(a.logits, a.lnf, parameters.lmHead(), true, logitScale); // (lnf · headᵀ) / temperature
        kernels.tokenLogProbs(a.logits, targets, a.logprobs, a.entropy);
        float[] values = null;
        if (config.valueHead()) {
            product(a.values, a.lnf, parameters.valueWeight(), true, 1f);
            kernels.addBias(a.values, parameters.valueBias());
            values = a.values.toArray();
        }
        return new ForwardOutput(a.logprobs.clone(), a.entropy.clone(), values, a.logits);
    }

    /**
     * Runs {@code tokens} [B·T] through the network and stores each layer's keys and values for positions
     * {@code 0..T-1} of every sequence into the caches (per layer [B·H·T_max, D], as {@link Kernels#writeCache}
     * lays them out). Returns the logits [B·T, V], valid until the next forward pass. This is the prefill of
     * incremental decoding: one batched pass instead of one step per prompt token.
     */
    public Matrix prefill(int[] tokens, int B, int T, Matrix[] keyCache, Matrix[] valueCache) {
        Matrix logits = forward(tokens, tokens, B, T, 1f, ForwardMode.BATCH_INVARIANT).logits();
        int H = config.nHeads();
        int D = config.headSize();
        int maxT = config.contextLength();
        for (int l = 0; l < config.nLayers(); l++) {
            Activations.Block a = acts.blocks[l];
            for (int bh = 0; bh < B * H; bh++) {
                Matrix.copy(a.k, (long) bh * T * D, keyCache[l], (long) bh * maxT * D, T * D);
                Matrix.copy(a.v, (long) bh * T * D, valueCache[l], (long) bh * maxT * D, T * D);
            }
        }
        return logits;
    }

    private void blockForward(GptParameters.Block w, Activations.Block a, Matrix x, int B, int T) {
        int H = config.nHeads();
        kernels.layerNorm(a.ln1Out, a.ln1Stats, x, w.ln1Weight(), w.ln1Bias());
        linear(a.qkv, a.ln1Out, w.attnWeight(), w.attnBias());
        kernels.toHeads(a.q, a.qkv, 0, B, T, H);
        kernels.toHeads(a.k, a.qkv, 1, B, T, H);
        kernels.toHeads(a.v, a.qkv, 2, B, T, H);
        if (mode == ForwardMode.BATCH_INVARIANT) {
            kernels.causalAttention(a.y, a.att, a.q, a.k, a.v, T);
        } else {
            int D = config.headSize();
            forEachHead(a.attHeads.count(), T, i ->
                    CausalProducts.scores(a.attHeads.get(i), a.qHeads.get(i), a.kHeads.get(i), T, D)); // q·kᵀ [T, T]
            kernels.causalSoftmax(a.att, T, attentionScale());
            forEachHead(a.yHeads.count(), T, i ->
                    CausalProducts.mix(a.yHeads.get(i), a.attHeads.get(i), a.vHeads.get(i), T, D)); // att·v [T, D]
        }
        kernels.fromHeads(a.yMerged, 0, a.y, B, T, H);
        linear(a.attnOut, a.yMerged, w.attnProjWeight(), w.attnProjBias());
        kernels.add(a.resid2, x, a.attnOut);
        kernels.layerNorm(a.ln2Out, a.ln2Stats, a.resid2, w.ln2Weight(), w.ln2Bias());
        linear(a.fc, a.ln2Out, w.fcWeight(), w.fcBias());
        kernels.gelu(a.fcGelu, a.fc);
        linear(a.mlpOut, a.fcGelu, w.fcProjWeight(), w.fcProjBias());
        kernels.add(a.resid3, a.resid2, a.mlpOut);
    }

    /**
     * Accumulates into {@link #gradients()} the gradient of a loss whose derivatives with respect to the last
     * forward pass's outputs are {@code dLogprobs}, {@code dEntropy} and {@code dValues} [N] (null means zero).
     */
    public void backward(float[] dLogprobs, float[] dEntropy, float[] dValues) {
        if (acts == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        Activations a = acts;
        int N = a.B * a.T;
        float[] zeros = null;
        if (dLogprobs == null || dEntropy == null) {
            zeros = new float[N];
        }
        dLogprobs = dLogprobs == null ? zeros : requireLength(dLogprobs, N, "dLogprobs");
        dEntropy = dEntropy == null ? zeros : requireLength(dEntropy, N, "dEntropy");
        GptParameters g = gradients();

        // LM head: logits = (lnf · headᵀ) / temperature
        kernels.tokenLogProbsBackward(a.dLogits, a.logits, targets, dLogprobs, dEntropy);
        Gemm.matmul(a.dNormed, a.dLogits, false, parameters.lmHead(), false, logitScale, 0f);
        Gemm.matmul(g.lmHead(), a.dLogits, true, a.lnf, false, logitScale, 1f);
        if (dValues != null) {
            if (!config.valueHead()) {
                throw new IllegalArgumentException("dValues given but the model has no value head");
            }
            a.dValues.copyFrom(requireLength(dValues, N, "dValues"));
            Gemm.matmul(a.dNormed, a.dValues, false, parameters.valueWeight(), false, 1f);
            Gemm.matmul(g.valueWeight(), a.dValues, true, a.lnf, false, 1f);
            kernels.biasBackward(g.valueBias(), a.dValues);
        }
        a.dResidual.fill(0f);
        Matrix lastOut = config.nLayers() > 0 ? a.blocks[config.nLayers() - 1].resid3 : a.encoded;
        kernels.layerNormBackward(a.dResidual, g.lnfWeight(), g.lnfBias(), a.dNormed, lastOut, parameters.lnfWeight(),
                a.lnfStats);

        for (int l = config.nLayers() - 1; l >= 0; l--) {
            Matrix x = l == 0 ? a.encoded : a.blocks[l - 1].resid3;
            blockBackward(parameters.block(l), g.block(l), a.blocks[l], x, a);
        }
        kernels.embedBackward(g.wte(), g.wpe(), a.dResidual, tokens, a.positions);
    }

    /** Backward through one block; a.dResidual holds dL/d(block output) on entry and dL/d(block input) on exit. */
    private void blockBackward(GptParameters.Block w, GptParameters.Block g, Activations.Block s, Matrix x,
            Activations a) {
        int B = a.B;
        int T = a.T;
        int H = config.nHeads();
        // MLP: resid3 = resid2 + fcProj(gelu(fc(ln2(resid2)))); the residual passes dResidual through unchanged.
        linearBackward(a.dFcGelu, g.fcProjWeight(), g.fcProjBias(), a.dResidual, s.fcGelu, w.fcProjWeight());
        kernels.geluBackward(a.dFc, s.fc, a.dFcGelu);
        linearBackward(a.dNormed, g.fcWeight(), g.fcBias(), a.dFc, s.ln2Out, w.fcWeight());
        kernels.layerNormBackward(a.dResidual, g.ln2Weight(), g.ln2Bias(), a.dNormed, s.resid2, w.ln2Weight(),
                s.ln2Stats);
        // Attention: resid2 = x + attnProj(attention(ln1(x))).
        linearBackward(a.dYMerged, g.attnProjWeight(), g.attnProjBias(), a.dResidual, s.yMerged, w.attnProjWeight());
        kernels.toHeads(a.dY, a.dYMerged, 0, B, T, H);
        int D = config.headSize();
        forEachHead(s.attHeads.count(), T, i -> CausalProducts.mixBackward(a.dAttHeads.get(i), a.dVHeads.get(i),
                a.dYHeads.get(i), s.attHeads.get(i), s.vHeads.get(i), T, D)); // dy·vᵀ, attᵀ·dy
        kernels.causalSoftmaxBackward(a.dAtt, s.att, T, attentionScale());
        forEachHead(s.attHeads.count(), T, i -> CausalProducts.scoresBackward(a.dQHeads.get(i), a.dKHeads.get(i),
                a.dAttHeads.get(i), s.qHeads.get(i), s.kHeads.get(i), T, D)); // dS·k, dSᵀ·q
        kernels.fromHeads(a.dQkv, 0, a.dQ, B, T, H);
        kernels.fromHeads(a.dQkv, 1, a.dK, B, T, H);
        kernels.fromHeads(a.dQkv, 2, a.dV, B, T, H);
        linearBackward(a.dNormed, g.attnWeight(), g.attnBias(), a.dQkv, s.ln1Out, w.attnWeight());
        kernels.layerNormBackward(a.dResidual, g.ln1Weight(), g.ln1Bias(), a.dNormed, x, w.ln1Weight(), s.ln1Stats);
    }

    /**
     * Runs {@code perHead} for every (batch, head) block across the cores. Each block's products are too small to be
     * worth splitting (128×128×32 on shape (b)), and a few thousand of them per step one after another left a core
     * idle.
     */
    private void forEachHead(int heads, int T, IntConsumer perHead) {
        long multiplyAddsPerHead = 2L * T * T * config.headSize();
        Parallel.forEachRange(heads, multiplyAddsPerHead, Gemm.MIN_MULTIPLY_ADDS_PER_RANGE, (range, from, to) -> {
            for (int i = from; i < to; i++) {
                perHead.accept(i);
            }
        });
    }

    /** out [N, out] = x [N, in] · weight [in, out] + bias. */
    private void linear(Matrix out, Matrix x, Matrix weight, Matrix bias) {
        product(out, x, weight, false, 1f);
        kernels.addBias(out, bias);
    }

    /** out [N, n] = alpha · x [N, k] · op(weight), in the last forward pass's {@link ForwardMode}. */
    private void product(Matrix out, Matrix x, Matrix weight, boolean transposeWeight, float alpha) {
        if (mode == ForwardMode.BATCH_INVARIANT) {
            Gemm.rowInvariant(out, x, weight, transposeWeight, alpha);
        } else {
            Gemm.matmul(out, x, false, weight, transposeWeight, alpha, 0f);
        }
    }

    /** dx = dout · weightᵀ (overwritten); dWeight += xᵀ · dout; dBias += Σ dout. */
    private void linearBackward(Matrix dx, Matrix dWeight, Matrix dBias, Matrix dout, Matrix x, Matrix weight) {
        Gemm.matmul(dx, dout, false, weight, true, 0f);
        Gemm.matmul(dWeight, x, true, dout, false, 1f);
        kernels.biasBackward(dBias, dout);
    }

    private float attentionScale() {
        return (float) (1.0 / Math.sqrt(config.headSize()));
    }

    private void validate(int[] ids, String what, int B, int T) {
        if (B <= 0 || T <= 0) {
            throw new IllegalArgumentException("batch shape must be positive, got B=" + B + " T=" + T);
        }
        if (T > config.contextLength()) {
            throw new IllegalArgumentException("sequence length " + T + " exceeds the context length "
                    + config.contextLength());
        }
        if (ids.length != B * T) {
            throw new IllegalArgumentException(what + ": expected B·T = " + B * T + " ids, got " + ids.length);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) {
                throw new IllegalArgumentException(what + "[" + i + "] = " + ids[i] + " is outside the vocabulary [0, "
                        + config.vocabSize() + ")");
            }
        }
    }

    private static float[] requireLength(float[] values, int n, String what) {
        if (values.length != n) {
            throw new IllegalArgumentException(what + ": expected " + n + " values, got " + values.length
                    + " " + Arrays.toString(Arrays.copyOf(values, Math.min(4, values.length))));
        }
        return values;
    }
}
