package dev.carrot.policy.kernels;

import dev.carrot.policy.tensor.Matrix;

/**
 * The elementwise, normalisation and attention kernels of the Transformer, everything that is not a matrix product.
 *
 * <p>Sizes: B batch, T time, C channels, H heads, D = C / H head size, V vocabulary, N = B·T rows. Activations are
 * row-major {@code [N, C]}; head-major tensors {@code [B, H, T, D]} are {@link Matrix}es of {@code B·H·T} rows;
 * attention weights {@code [B, H, T, T]} likewise. Methods named {@code …Backward} <em>accumulate</em> into
 * parameter gradients and into {@code dx} where documented, so that gradients of several uses add up.
 *
 * <p>{@link JavaKernels} is the fast CPU implementation; {@link ReferenceKernels} is the slow, obviously correct one
 * that tests hold it to. A GPU implementation slots in here.
 */
public interface Kernels {

    /** {@code out[n] = wte[tokens[n]] + wpe[positions[n]]}. out [N,C], wte [V,C], wpe [T_max,C]. */
    void embed(Matrix out, int[] tokens, int[] positions, Matrix wte, Matrix wpe);

    /** {@code dwte[tokens[n]] += dout[n]; dwpe[positions[n]] += dout[n]}. */
    void embedBackward(Matrix dwte, Matrix dwpe, Matrix dout, int[] tokens, int[] positions);

    /**
     * LayerNorm over channels, eps 1e-5, biased variance. out, x [N,C]; weight, bias [1,C]; stats [N,2] receives
     * each row's mean and reciprocal standard deviation for the backward pass.
     */
    void layerNorm(Matrix out, Matrix stats, Matrix x, Matrix weight, Matrix bias);

    /** Accumulates into dx [N,C], dweight and dbias [1,C]. */
    void layerNormBackward(Matrix dx, Matrix dweight, Matrix dbias, Matrix dout, Matrix x, Matrix weight, Matrix stats);

    /** {@code out[n] += bias} for every row. out [N,K], bias [1,K]. */
    void addBias(Matrix out, Matrix bias);

    /** {@code dbias += Σ_n dout[n]}. */
    void biasBackward(Matrix dbias, Matrix dout);

    /** {@code out = a + b}; out may alias a or b. */
    void add(Matrix out, Matrix a, Matrix b);

    /** GPT-2's GELU, tanh approximation. */
    void gelu(Matrix out, Matrix x);

    /** {@code dx = gelu'(x) ⊙ dout} (overwrites dx). */
    void geluBackward(Matrix dx, Matrix x, Matrix dout);

    /**
     * Copies block {@code part} ({@code C} channels wide) of each row of src [N, P·C] into the head-major
     * dst [B·H·T, D]: {@code dst[(b·H + h)·T + t, d] = src[b·T + t, part·C + h·D + d]}.
     */
    void toHeads(Matrix dst, Matrix src, int part, int B, int T, int H);

    /** The inverse of {@link #toHeads}: writes head-major src into block {@code part} of dst. */
    void fromHeads(Matrix dst, int part, Matrix src, int B, int T, int H);

    /**
     * In place on att [B·H·T, T] holding raw scores {@code q·k}: row t becomes {@code softmax(scale · scores)} over
     * keys {@code s ≤ t} and 0 for {@code s > t} (causal).
     */
    void causalSoftmax(Matrix att, int T, float scale);

    /**
     * In place on datt [B·H·T, T]: turns the gradient w.r.t. the attention weights into the gradient w.r.t. the
     * raw scores, given the weights att from the forward pass.
     */
    void causalSoftmaxBackward(Matrix datt, Matrix att, int T, float scale);

    /**
     * Per row of logits [N,V]: {@code logprobs[n] = log softmax(logits[n])[targets[n]]} and the entropy of the
     * softmax, {@code entropy[n] = -Σ_v p log p}.
     */
    void tokenLogProbs(Matrix logits, int[] targets, float[] logprobs, float[] entropy);

    /**
     * Gradient of {@code Σ_n dLogprobs[n]·logprobs[n] + dEntropy[n]·entropy[n]} w.r.t. the logits, written
     * (not accumulated) into dlogits [N,V]. Rows with both coefficients zero get zeros.
     */
    void tokenLogProbsBackward(Matrix dlogits, Matrix logits, int[] targets, float[] dLogprobs, float[] dEntropy);

    /**
     * Causal self-attention, query by query with the arithmetic of {@link #cachedAttention}: in every (batch, head)
     * block i, row {@code i·T + t} of y attends with the same row of q over rows {@code i·T .. i·T + t} of k and v,
     * and the same row of att [B·H·T, T] receives its weights, zero past t. q, k, v, y [B·H·T, D]. A sequence's
     * outputs depend on its own tokens only, not on T or the batch, and equal KV-cached decoding's bit for bit.
     */
    void causalAttention(Matrix y, Matrix att, Matrix q, Matrix k, Matrix v, int T);

    /**
     * Stores keys or values for incremental decoding. cache [S·H·T_max, D] holds, in row
     * {@code (s·H + h)·T_max + p}, head h of sequence s at position p; this writes block {@code part} of each row s
     * of src [S, P·C] at {@code positions[s]}.
     */
    void writeCache(Matrix cache, Matrix src, int part, int[] positions, int H, int maxT);

    /**
     * One decoding step of causal attention: out[s] [S,C] attends with the query in block 0 of qkv[s] [S,3C] over
     * the cached keys and values of sequence s at positions {@code 0..positions[s]}. Row {@code s·H + h} of
     * weights [S·H, T_max] receives head h's attention weights over those positions; the rest of the row is left
     * as it was.
     */
    void cachedAttention(Matrix out, Matrix weights, Matrix qkv, Matrix keys, Matrix values, int[] positions, int H,
            int maxT);
}
