package dev.carrot.policy.kernels;

import dev.carrot.policy.tensor.Gemm;
import dev.carrot.policy.tensor.Matrix;
import dev.carrot.policy.tensor.Parallel;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The CPU kernels as loops over rows copied into {@code float[]} scratch, split across the cores; cached attention,
 * whose history is too long to copy every step, calls BLAS on the cache in place instead.
 *
 * <p>Why this shape: C2 auto-vectorises simple loops over {@code float[]} but not over the off-heap
 * {@link FloatBuffer}s the matrices live in (GELU: 0.5 ns per element on an array against 4.4 ns on the buffer), and
 * a bulk copy between the two is a memcpy. So each row is copied in, computed with small branch-free loops (C2
 * unrolls, and so vectorises, only small loop bodies), and copied out. Exponentials stay {@link Math#exp}: C2's
 * intrinsic beat a scalar float polynomial, and neither vectorises. Row statistics are summed with four
 * accumulators, because one float accumulator serialises on the adder's latency and Java may not reorder float
 * sums itself. {@link Parallel} splits the rows (or heads) across the cores; reductions over rows (parameter
 * gradients) sum per-range partials in range order.
 *
 * <p>Against libnd4j's own ops on the same buffers ({@code ./carrot bench --kernels}, shape (b)'s sizes) these loops
 * are 2.2× faster on LayerNorm's backward, 7.4× and 6.3× on GELU and its backward, 2.2× on the softmax backward and
 * even on LayerNorm. libnd4j's softmax and log-softmax run about 1.25× faster per call but compute less: no causal
 * mask or scale, no entropy, no gather of the targets' log-probs; matching these kernels would take more ops, each
 * another pass over memory and another call's fixed overhead, so one implementation covers all kernels here.
 */
public final class JavaKernels implements Kernels {

    private static final long MIN_ELEMENTS = Parallel.MIN_ELEMENTS_PER_RANGE;
    private static final float LAYER_NORM_EPS = (float) ReferenceKernels.LAYER_NORM_EPS;
    private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_CUBIC = 0.044715f;
    /** Beyond this |v| GELU's derivative is computed through exp: see {@link #geluBackward}. */
    private static final float GELU_TAIL = 2.5f;

    @Override
    public void embed(Matrix out, int[] tokens, int[] positions, Matrix wte, Matrix wpe) {
        int C = out.cols();
        Parallel.forEachRange(out.rows(), C, MIN_ELEMENTS, (range, from, to) -> {
            float[] token = new float[C];
            float[] position = new float[C];
            for (int n = from; n < to; n++) {
                readRow(wte, tokens[n], token);
                readRow(wpe, positions[n], position);
                for (int c = 0; c < C; c++) {
                    token[c] += position[c];
                }
                writeRow(out, n, token);
            }
        });
    }

    @Override
    public void embedBackward(Matrix dwte, Matrix dwpe, Matrix dout, int[] tokens, int[] positions) {
        // Rows scatter into shared rows of the tables (repeated tokens, every sequence's positions): one thread.
        int C = dout.cols();
        float[] grad = new float[C];
        float[] row = new float[C];
        for (int n = 0; n < dout.rows(); n++) {
            readRow(dout, n, grad);
            accumulateRow(dwte, tokens[n], grad, row);
            accumulateRow(dwpe, positions[n], grad, row);
        }
    }

    @Override
    public void layerNorm(Matrix out, Matrix stats, Matrix x, Matrix weight, Matrix bias) {
        int C = x.cols();
        float[] w = weight.toArray();
        float[] b = bias.toArray();
        FloatBuffer st = stats.floats();
        Parallel.forEachRange(x.rows(), C, MIN_ELEMENTS, (range, from, to) -> {
            float[] row = new float[C];
            for (int n = from; n < to; n++) {
                readRow(x, n, row);
                float mean = sum(row, C) / C;
                float rstd = (float) (1.0 / Math.sqrt(sumOfSquaredDeviations(row, C, mean) / C + LAYER_NORM_EPS));
                for (int c = 0; c < C; c++) {
                    row[c] = (row[c] - mean) * rstd * w[c] + b[c];
                }
                writeRow(out, n, row);
                st.put(stats.offset() + 2 * n, mean);
                st.put(stats.offset() + 2 * n + 1, rstd);
            }
        });
    }

    @Override
    public void layerNormBackward(Matrix dx, Matrix dweight, Matrix dbias, Matrix dout, Matrix x, Matrix weight,
            Matrix stats) {
        int C = x.cols();
        int N = x.rows();
        float[] w = weight.toArray();
        FloatBuffer st = stats.floats();
        int ranges = Parallel.ranges(N, C, MIN_ELEMENTS);
        float[][] dwPartial = new float[ranges][C];
        float[][] dbPartial = new float[ranges][C];
        Parallel.forEachRange(N, C, MIN_ELEMENTS, (range, from, to) -> {
            float[] xhat = new float[C];
            float[] grad = new float[C];
            float[] dxhat = new float[C];
            float[] dxRow = new float[C];
            float[] dw = dwPartial[range];
            float[] db = dbPartial[range];
            for (int n = from; n < to; n++) {
                float mean = st.get(stats.offset() + 2 * n);
                float rstd = st.get(stats.offset() + 2 * n + 1);
                readRow(x, n, xhat);
                readRow(dout, n, grad);
                for (int c = 0; c < C; c++) {
                    xhat[c] = (xhat[c] - mean) * rstd;
                    dxhat[c] = grad[c] * w[c];
                }
                for (int c = 0; c < C; c++) {
                    dw[c] += grad[c] * xhat[c];
                    db[c] += grad[c];
                }
                float meanDxhat = sum(dxhat, C) / C;
                float meanDxhatXhat = dot(dxhat, xhat, C) / C;
                readRow(dx, n, dxRow);
                for (int c = 0; c < C; c++) {
                    dxRow[c] += rstd * (dxhat[c] - meanDxhat - xhat[c] * meanDxhatXhat);
                }
                writeRow(dx, n, dxRow);
            }
        });
        addPartials(dweight, dwPartial);
        addPartials(dbias, dbPartial);
    }

    @Override
    public void addBias(Matrix out, Matrix bias) {
        int K = out.cols();
        float[] b = bias.toArray();
        Parallel.forEachRange(out.rows(), K, MIN_ELEMENTS, (range, from, to) -> {
            float[] row = new float[K];
            for (int n = from; n < to; n++) {
                readRow(out, n, row);
                for (int k = 0; k < K; k++) {
                    row[k] += b[k];
                }
                writeRow(out, n, row);
            }
        });
    }

    @Override
    public void biasBackward(Matrix dbias, Matrix dout) {
        int K = dout.cols();
        float[][] partial = new float[Parallel.ranges(dout.rows(), K, MIN_ELEMENTS)][K];
        Parallel.forEachRange(dout.rows(), K, MIN_ELEMENTS, (range, from, to) -> {
            float[] row = new float[K];
            float[] sums = partial[range];
            for (int n = from; n < to; n++) {
                readRow(dout, n, row);
                for (int k = 0; k < K; k++) {
                    sums[k] += row[k];
                }
            }
        });
        addPartials(dbias, partial);
    }

    @Override
    public void add(Matrix out, Matrix a, Matrix b) {
        int C = out.cols();
        Parallel.forEachRange(out.rows(), C, MIN_ELEMENTS, (range, from, to) -> {
            float[] left = new float[C];
            float[] right = new float[C];
            for (int n = from; n < to; n++) {
                readRow(a, n, left);
                readRow(b, n, right);
                for (int c = 0; c < C; c++) {
                    left[c] += right[c];
                }
                writeRow(out, n, left);
            }
        });
    }

    /** {@code gelu(v) = ½v(1 + tanh u)} with {@code u = √(2/π)(v + 0.044715v³)}. */
    @Override
    public void gelu(Matrix out, Matrix x) {
        int K = x.cols();
        Parallel.forEachRange(x.rows(), K, MIN_ELEMENTS, (range, from, to) -> {
            float[] row = new float[K];
            float[] th = new float[K];
            for (int n = from; n < to; n++) {
                readRow(x, n, row);
                geluTanh(row, th);
                for (int k = 0; k < K; k++) {
                    row[k] = 0.5f * row[k] * (1f + th[k]);
                }
                writeRow(out, n, row);
            }
        });
    }

    /**
     * {@code gelu'(v) = ½(1 + tanh u) + ½v(1 - tanh²u)·u'}. Where tanh saturates ({@code |v| > 2.5}),
     * {@code 1 ± tanh} cancels, and the few ulp of {@link FastMath#tanh}'s error, multiplied by the growing
     * {@code v·u'}, would show; a second, scalar pass recomputes those few elements through
     * {@link #geluDerivativeInTail}. The first pass stays branch-free and vectorised.
     */
    @Override
    public void geluBackward(Matrix dx, Matrix x, Matrix dout) {
        int K = x.cols();
        Parallel.forEachRange(x.rows(), K, MIN_ELEMENTS, (range, from, to) -> {
            float[] row = new float[K];
            float[] th = new float[K];
            float[] grad = new float[K];
            for (int n = from; n < to; n++) {
                readRow(x, n, row);
                readRow(dout, n, grad);
                geluTanh(row, th);
                for (int k = 0; k < K; k++) {
                    float v = row[k];
                    float t = th[k];
                    th[k] = (0.5f * (1f + t) + 0.5f * v * (1f - t * t) * GELU_SCALE * (1f + 3f * GELU_CUBIC * v * v))
                            * grad[k];
                }
                for (int k = 0; k < K; k++) {
                    if (Math.abs(row[k]) > GELU_TAIL) {
                        th[k] = geluDerivativeInTail(row[k]) * grad[k];
                    }
                }
                writeRow(dx, n, th);
            }
        });
    }

    /**
     * {@code th = tanh(√(2/π)(v + 0.044715v³))}. Two loops rather than one: C2 vectorises only loops it unrolls,
     * and it unrolls only small bodies (LoopUnrollLimit); GELU's backward pass fused into one loop ran at 8 ns per
     * element, split at under 1 ns.
     */
    private static void geluTanh(float[] v, float[] th) {
        for (int k = 0; k < v.length; k++) {
            th[k] = GELU_SCALE * (v[k] + GELU_CUBIC * v[k] * v[k] * v[k]);
        }
        for (int k = 0; k < v.length; k++) {
            th[k] = FastMath.tanh(th[k]);
        }
    }

    /**
     * gelu'(v) as {@code s + 2v·s(1 - s)·u'} with {@code s = σ(2u) = ½(1 + tanh u)}, from
     * {@code e = exp(-2|u|) ≤ 1}: {@code s(1 - s) = e/(1 + e)²} and {@code s = 1/(1 + e)} or {@code e/(1 + e)} by
     * the sign of u. Nothing cancels or overflows, however far into the tail.
     */
    private static float geluDerivativeInTail(float v) {
        float u = GELU_SCALE * (v + GELU_CUBIC * v * v * v);
        float e = (float) Math.exp(-2f * Math.abs(u));
        float r = 1f / (1f + e);
        float s = u >= 0 ? r : e * r;
        return s + 2f * v * (e * r * r) * GELU_SCALE * (1f + 3f * GELU_CUBIC * v * v);
    }

    @Override
    public void toHeads(Matrix dst, Matrix src, int part, int B, int T, int H) {
        copyHeads(dst, src, part, B, T, H, true);
    }

    @Override
    public void fromHeads(Matrix dst, int part, Matrix src, int B, int T, int H) {
        copyHeads(src, dst, part, B, T, H, false);
    }

    private static void copyHeads(Matrix heads, Matrix rows, int part, int B, int T, int H, boolean toHeads) {
        int D = heads.cols();
        int C = H * D;
        int rowWidth = rows.cols();
        FloatBuffer hb = heads.floats();
        FloatBuffer rb = rows.floats();
        Parallel.forEachRange(B * T, C, MIN_ELEMENTS, (range, from, to) -> {
            for (int n = from; n < to; n++) {
                int b = n / T;
                int t = n % T;
                int ri = rows.offset() + n * rowWidth + part * C;
                for (int h = 0; h < H; h++) {
                    int hi = heads.offset() + ((b * H + h) * T + t) * D;
                    if (toHeads) {
                        hb.put(hi, rb, ri + h * D, D);
                    } else {
                        rb.put(ri + h * D, hb, hi, D);
                    }
                }
            }
        });
    }

    @Override
    public void causalSoftmax(Matrix att, int T, float scale) {
        Parallel.forEachRange(att.rows(), T / 2, MIN_ELEMENTS, (range, from, to) -> {
            float[] row = new float[T];
            for (int r = from; r < to; r++) {
                int length = r % T + 1;
                readRow(att, r, row);
                softmaxPrefix(row, length, scale);
                Arrays.fill(row, length, T, 0f);
                writeRow(att, r, row);
            }
        });
    }

    @Override
    public void causalSoftmaxBackward(Matrix datt, Matrix att, int T, float scale) {
        Parallel.forEachRange(att.rows(), T / 2, MIN_ELEMENTS, (range, from, to) -> {
            float[] weights = new float[T];
            float[] grad = new float[T];
            for (int r = from; r < to; r++) {
                int length = r % T + 1;
                readRow(att, r, weights);
                readRow(datt, r, grad);
                float dot = dot(weights, grad, length);
                for (int s = 0; s < length; s++) {
                    grad[s] = scale * weights[s] * (grad[s] - dot);
                }
                Arrays.fill(grad, length, T, 0f);
                writeRow(datt, r, grad);
            }
        });
    }

    @Override
    public void tokenLogProbs(Matrix logits, int[] targets, float[] logprobs, float[] entropy) {
        int V = logits.cols();
        Parallel.forEachRange(logits.rows(), V, MIN_ELEMENTS, (range, from, to) -> {
            float[] z = new float[V];
            float[] e = new float[V];
            for (int n = from; n < to; n++) {
                readRow(logits, n, z);
                float max = LogSoftmaxRow.max(z, V);
                double sum = LogSoftmaxRow.exponentiate(z, V, max, e);
                // H = log Z - Σ p·z, with p = e / sum.
                double weighted = 0;
                for (int v = 0; v < V; v++) {
                    weighted += e[v] * z[v];
                }
                float logZ = LogSoftmaxRow.logNormalizer(max, sum);
                logprobs[n] = z[targets[n]] - logZ;
                entropy[n] = (float) (logZ - weighted / sum);
            }
        });
    }

    @Override
    public void tokenLogProbsBackward(Matrix dlogits, Matrix logits, int[] targets, float[] dLogprobs,
            float[] dEntropy) {
        int V = logits.cols();
        Parallel.forEachRange(logits.rows(), V, MIN_ELEMENTS, (range, from, to) -> {
            float[] z = new float[V];
            float[] e = new float[V];
            for (int n = from; n < to; n++) {
                float gLogprob = dLogprobs[n];
                float gEntropy = dEntropy[n];
                if (gLogprob == 0f && gEntropy == 0f) {
                    Arrays.fill(z, 0f);
                    writeRow(dlogits, n, z);
                    continue;
                }
                readRow(logits, n, z);
                float max = LogSoftmaxRow.max(z, V);
                double sum = LogSoftmaxRow.exponentiate(z, V, max, e);
                float logZ = LogSoftmaxRow.logNormalizer(max, sum);
                float h = 0;
                if (gEntropy != 0f) {
                    double weighted = 0;
                    for (int v = 0; v < V; v++) {
                        weighted += e[v] * z[v];
                    }
                    h = (float) (logZ - weighted / sum);
                }
                float inverseSum = (float) (1 / sum);
                for (int v = 0; v < V; v++) {
                    float p = e[v] * inverseSum;
                    z[v] = -gLogprob * p - gEntropy * p * (z[v] - logZ + h);
                }
                z[targets[n]] += gLogprob;
                writeRow(dlogits, n, z);
            }
        });
    }

    @Override
    public void writeCache(Matrix cache, Matrix src, int part, int[] positions, int H, int maxT) {
        int D = cache.cols();
        int C = H * D;
        FloatBuffer cb = cache.floats();
        FloatBuffer sb = src.floats();
        for (int s = 0; s < src.rows(); s++) {
            int si = src.offset() + s * src.cols() + part * C;
            for (int h = 0; h < H; h++) {
                cb.put(cache.offset() + ((s * H + h) * maxT + positions[s]) * D, sb, si + h * D, D);
            }
        }
    }

    /**
     * Per (sequence, head) item, two matrix-vector products through BLAS, {@code scores = scale · K q} over the key
     * block and {@code out = Vᵀ w} over the value block, with the softmax between them on an array. The cache lives
     * off-heap, where C2 does not vectorise; copying each block into an array and computing there, as the other
     * kernels do, re-copied the whole history every step and ran 3.5× slower on shape (c).
     */
    @Override
    public void cachedAttention(Matrix out, Matrix weights, Matrix qkv, Matrix keys, Matrix values, int[] positions,
            int H, int maxT) {
        int D = keys.cols();
        int longest = Arrays.stream(positions).max().orElse(0) + 1;
        // Items are (sequence, head) pairs, s·H + h; each attends over its own block of the caches.
        Parallel.forEachRange(out.rows() * H, 2L * longest * D, MIN_ELEMENTS, (range, from, to) -> {
            float[] row = new float[longest];
            for (int item = from; item < to; item++) {
                int s = item / H;
                int h = item % H;
                attendOne(qkv, (long) s * qkv.cols() + h * D, keys, values, (long) item * maxT * D, positions[s] + 1,
                        weights, (long) item * weights.cols(), row, out, (long) s * out.cols() + h * D);
            }
        });
    }

    @Override
    public void causalAttention(Matrix y, Matrix att, Matrix q, Matrix k, Matrix v, int T) {
        int D = q.cols();
        // Items are (batch, head) blocks of T rows; within one, query t attends over rows 0..t.
        Parallel.forEachRange(q.rows() / T, (long) T * T * D, MIN_ELEMENTS, (range, from, to) -> {
            float[] row = new float[T];
            float[] zeros = new float[T]; // the weights past the diagonal, which the backward pass reads as zero
            for (int block = from; block < to; block++) {
                long first = (long) block * T;
                for (int t = 0; t < T; t++) {
                    long at = (first + t) * D;
                    attendOne(q, at, k, v, first * D, t + 1, att, (first + t) * T, row, y, at);
                    att.floats().put(Math.toIntExact(att.offset() + (first + t) * T + t + 1), zeros, 0, T - t - 1);
                }
            }
        });
    }

    /**
     * One query's attention over {@code length} keys and values, the rows of D at {@code block} in keys and values:
     * weights [length] at {@code weightsAt} = softmax(scale · K·q), out [D] at {@code outAt} = Vᵀ·weights. The one
     * routine of decoding and of the batch-invariant forward pass, so that the two agree bit for bit; the scale is
     * folded into the scores' product.
     */
    private static void attendOne(Matrix q, long qAt, Matrix keys, Matrix values, long block, int length,
            Matrix weights, long weightsAt, float[] row, Matrix out, long outAt) {
        int D = keys.cols();
        Gemm.matvec(keys, block, length, D, false, (float) (1.0 / Math.sqrt(D)), q, qAt, weights, weightsAt);
        int at = Math.toIntExact(weights.offset() + weightsAt);
        weights.floats().get(at, row, 0, length);
        softmaxPrefix(row, length, 1f);
        weights.floats().put(at, row, 0, length);
        Gemm.matvec(values, block, length, D, true, 1f, weights, weightsAt, out, outAt);
    }

    /** {@code row[0..length) = softmax(scale · row[0..length))}, in place. */
    private static void softmaxPrefix(float[] row, int length, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, row[i]);
        }
        float sum = 0;
        for (int i = 0; i < length; i++) {
            row[i] = (float) Math.exp(scale * (row[i] - max));
            sum += row[i];
        }
        float inv = 1f / sum;
        for (int i = 0; i < length; i++) {
            row[i] *= inv;
        }
    }

        private static void readRow(Matrix m, int row, float[] dst) {
        m.floats().get(m.offset() + row * m.cols(), dst, 0, m.cols());
    }

    private static void writeRow(Matrix m, int row, float[] src) {
        m.floats().put(m.offset() + row * m.cols(), src, 0, m.cols());
    }

    /** {@code m[row] += values}, through {@code scratch}. */
    private static void accumulateRow(Matrix m, int row, float[] values, float[] scratch) {
        readRow(m, row, scratch);
        for (int c = 0; c < scratch.length; c++) {
            scratch[c] += values[c];
        }
        writeRow(m, row, scratch);
    }

    /** {@code target[0] += Σ_r partials[r]}, summed in range order. target is [1, K]. */
    private static void addPartials(Matrix target, float[][] partials) {
        float[] total = target.toArray();
        for (float[] partial : partials) {
            for (int k = 0; k < total.length; k++) {
                total[k] += partial[k];
            }
        }
        target.copyFrom(total);
    }

    private static float sum(float[] a, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < length; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float sumOfSquaredDeviations(float[] a, int length, float mean) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            float d0 = a[i] - mean;
            float d1 = a[i + 1] - mean;
            float d2 = a[i + 2] - mean;
            float d3 = a[i + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < length; i++) {
            float d = a[i] - mean;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float dot(float[] a, float[] b, int length) {
        return dot(a, 0, b, 0, length);
    }

    private static float dot(float[] a, int aStart, float[] b, int bStart, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += a[aStart + i] * b[bStart + i];
            s1 += a[aStart + i + 1] * b[bStart + i + 1];
            s2 += a[aStart + i + 2] * b[bStart + i + 2];
            s3 += a[aStart + i + 3] * b[bStart + i + 3];
        }
        for (; i < length; i++) {
            s0 += a[aStart + i] * b[bStart + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
