package dev.carrot.policy.kernels;

import dev.carrot.policy.tensor.Matrix;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The CPU kernels as single-pass loops over the matrices' off-heap buffers.
 *
 * <p>Measured against libnd4j's ops on this machine, plain loops won for every kernel here: libnd4j's
 * {@code layer_norm_bp} took over 10 ms on 2048×256 where the loop below takes about 1 ms, and each libnd4j op call
 * carries fixed overhead that dominates at these sizes ({@code ./carrot bench --kernels} re-measures). Loops
 * accumulate row statistics in float, as PyTorch's CPU kernels do, except where cancellation demands double.
 */
public final class JavaKernels implements Kernels {

    private static final float LAYER_NORM_EPS = (float) ReferenceKernels.LAYER_NORM_EPS;
    private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

    @Override
    public void embed(Matrix out, int[] tokens, int[] positions, Matrix wte, Matrix wpe) {
        int C = out.cols();
        FloatBuffer o = out.floats();
        FloatBuffer te = wte.floats();
        FloatBuffer pe = wpe.floats();
        for (int n = 0; n < out.rows(); n++) {
            int oi = out.offset() + n * C;
            int ti = wte.offset() + tokens[n] * C;
            int pi = wpe.offset() + positions[n] * C;
            for (int c = 0; c < C; c++) {
                o.put(oi + c, te.get(ti + c) + pe.get(pi + c));
            }
        }
    }

    @Override
    public void embedBackward(Matrix dwte, Matrix dwpe, Matrix dout, int[] tokens, int[] positions) {
        int C = dout.cols();
        FloatBuffer g = dout.floats();
        FloatBuffer te = dwte.floats();
        FloatBuffer pe = dwpe.floats();
        for (int n = 0; n < dout.rows(); n++) {
            int gi = dout.offset() + n * C;
            int ti = dwte.offset() + tokens[n] * C;
            int pi = dwpe.offset() + positions[n] * C;
            for (int c = 0; c < C; c++) {
                float d = g.get(gi + c);
                te.put(ti + c, te.get(ti + c) + d);
                pe.put(pi + c, pe.get(pi + c) + d);
            }
        }
    }

    @Override
    public void layerNorm(Matrix out, Matrix stats, Matrix x, Matrix weight, Matrix bias) {
        int C = x.cols();
        FloatBuffer xb = x.floats();
        FloatBuffer ob = out.floats();
        FloatBuffer w = weight.floats();
        FloatBuffer bb = bias.floats();
        FloatBuffer st = stats.floats();
        int wo = weight.offset();
        int bo = bias.offset();
        for (int n = 0; n < x.rows(); n++) {
            int xi = x.offset() + n * C;
            float sum = 0;
            for (int c = 0; c < C; c++) {
                sum += xb.get(xi + c);
            }
            float mean = sum / C;
            float sq = 0;
            for (int c = 0; c < C; c++) {
                float d = xb.get(xi + c) - mean;
                sq += d * d;
            }
            float rstd = (float) (1.0 / Math.sqrt(sq / C + LAYER_NORM_EPS));
            int oi = out.offset() + n * C;
            for (int c = 0; c < C; c++) {
                ob.put(oi + c, (xb.get(xi + c) - mean) * rstd * w.get(wo + c) + bb.get(bo + c));
            }
            st.put(stats.offset() + 2 * n, mean);
            st.put(stats.offset() + 2 * n + 1, rstd);
        }
    }

    @Override
    public void layerNormBackward(Matrix dx, Matrix dweight, Matrix dbias, Matrix dout, Matrix x, Matrix weight,
            Matrix stats) {
        int C = x.cols();
        FloatBuffer xb = x.floats();
        FloatBuffer g = dout.floats();
        FloatBuffer w = weight.floats();
        FloatBuffer dxb = dx.floats();
        FloatBuffer dw = dweight.floats();
        FloatBuffer db = dbias.floats();
        FloatBuffer st = stats.floats();
        int wo = weight.offset();
        int dwo = dweight.offset();
        int dbo = dbias.offset();
        for (int n = 0; n < x.rows(); n++) {
            float mean = st.get(stats.offset() + 2 * n);
            float rstd = st.get(stats.offset() + 2 * n + 1);
            int xi = x.offset() + n * C;
            int gi = dout.offset() + n * C;
            float meanDxhat = 0;
            float meanDxhatXhat = 0;
            for (int c = 0; c < C; c++) {
                float xhat = (xb.get(xi + c) - mean) * rstd;
                float dxhat = g.get(gi + c) * w.get(wo + c);
                meanDxhat += dxhat;
                meanDxhatXhat += dxhat * xhat;
            }
            meanDxhat /= C;
            meanDxhatXhat /= C;
            int di = dx.offset() + n * C;
            for (int c = 0; c < C; c++) {
                float xhat = (xb.get(xi + c) - mean) * rstd;
                float gc = g.get(gi + c);
                float dxhat = gc * w.get(wo + c);
                dxb.put(di + c, dxb.get(di + c) + rstd * (dxhat - meanDxhat - xhat * meanDxhatXhat));
                dw.put(dwo + c, dw.get(dwo + c) + gc * xhat);
                db.put(dbo + c, db.get(dbo + c) + gc);
            }
        }
    }

    @Override
    public void addBias(Matrix out, Matrix bias) {
        int K = out.cols();
        FloatBuffer o = out.floats();
        FloatBuffer b = bias.floats();
        int bo = bias.offset();
        for (int n = 0; n < out.rows(); n++) {
            int oi = out.offset() + n * K;
            for (int k = 0; k < K; k++) {
                o.put(oi + k, o.get(oi + k) + b.get(bo + k));
            }
        }
    }

    @Override
    public void biasBackward(Matrix dbias, Matrix dout) {
        int K = dout.cols();
        float[] sums = new float[K];
        FloatBuffer g = dout.floats();
        for (int n = 0; n < dout.rows(); n++) {
            int gi = dout.offset() + n * K;
            for (int k = 0; k < K; k++) {
                sums[k] += g.get(gi + k);
            }
        }
        FloatBuffer db = dbias.floats();
        for (int k = 0; k < K; k++) {
            db.put(dbias.offset() + k, db.get(dbias.offset() + k) + sums[k]);
        }
    }

    @Override
    public void add(Matrix out, Matrix a, Matrix b) {
        int size = Math.toIntExact(out.size());
        FloatBuffer o = out.floats();
        FloatBuffer ab = a.floats();
        FloatBuffer bb = b.floats();
        int oo = out.offset();
        int ao = a.offset();
        int bo = b.offset();
        for (int i = 0; i < size; i++) {
            o.put(oo + i, ab.get(ao + i) + bb.get(bo + i));
        }
    }

    /** tanh through one exp, accurate to float rounding, several times faster than {@link Math#tanh}. */
    private static float tanh(float u) {
        if (u > 9f) {
            return 1f;
        }
        if (u < -9f) {
            return -1f;
        }
        float e = (float) Math.exp(2f * u);
        return (e - 1f) / (e + 1f);
    }

    @Override
    public void gelu(Matrix out, Matrix x) {
        int size = Math.toIntExact(x.size());
        FloatBuffer xb = x.floats();
        FloatBuffer o = out.floats();
        int xo = x.offset();
        int oo = out.offset();
        for (int i = 0; i < size; i++) {
            float v = xb.get(xo + i);
            o.put(oo + i, 0.5f * v * (1f + tanh(GELU_SCALE * (v + 0.044715f * v * v * v))));
        }
    }

    @Override
    public void geluBackward(Matrix dx, Matrix x, Matrix dout) {
        int size = Math.toIntExact(x.size());
        FloatBuffer xb = x.floats();
        FloatBuffer g = dout.floats();
        FloatBuffer d = dx.floats();
        int xo = x.offset();
        int go = dout.offset();
        int dOff = dx.offset();
        for (int i = 0; i < size; i++) {
            float v = xb.get(xo + i);
            float th = tanh(GELU_SCALE * (v + 0.044715f * v * v * v));
            float local = 0.5f * (1f + th) + 0.5f * v * (1f - th * th) * GELU_SCALE * (1f + 3f * 0.044715f * v * v);
            d.put(dOff + i, local * g.get(go + i));
        }
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
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int ri = rows.offset() + (b * T + t) * rowWidth + part * C;
                for (int h = 0; h < H; h++) {
                    int hi = heads.offset() + ((b * H + h) * T + t) * D;
                    for (int d = 0; d < D; d++) {
                        if (toHeads) {
                            hb.put(hi + d, rb.get(ri + h * D + d));
                        } else {
                            rb.put(ri + h * D + d, hb.get(hi + d));
                        }
                    }
                }
            }
        }
    }

    @Override
    public void causalSoftmax(Matrix att, int T, float scale) {
        FloatBuffer a = att.floats();
        for (int r = 0; r < att.rows(); r++) {
            int t = r % T;
            int ai = att.offset() + r * T;
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s <= t; s++) {
                max = Math.max(max, a.get(ai + s));
            }
            float sum = 0;
            for (int s = 0; s <= t; s++) {
                float e = (float) Math.exp(scale * (a.get(ai + s) - max));
                a.put(ai + s, e);
                sum += e;
            }
            float inv = 1f / sum;
            for (int s = 0; s <= t; s++) {
                a.put(ai + s, a.get(ai + s) * inv);
            }
            for (int s = t + 1; s < T; s++) {
                a.put(ai + s, 0f);
            }
        }
    }

    @Override
    public void causalSoftmaxBackward(Matrix datt, Matrix att, int T, float scale) {
        FloatBuffer a = att.floats();
        FloatBuffer g = datt.floats();
        for (int r = 0; r < att.rows(); r++) {
            int t = r % T;
            int ai = att.offset() + r * T;
            int gi = datt.offset() + r * T;
            float dot = 0;
            for (int s = 0; s <= t; s++) {
                dot += a.get(ai + s) * g.get(gi + s);
            }
            for (int s = 0; s <= t; s++) {
                g.put(gi + s, scale * a.get(ai + s) * (g.get(gi + s) - dot));
            }
            for (int s = t + 1; s < T; s++) {
                g.put(gi + s, 0f);
            }
        }
    }

    @Override
    public void tokenLogProbs(Matrix logits, int[] targets, float[] logprobs, float[] entropy) {
        int V = logits.cols();
        FloatBuffer z = logits.floats();
        for (int n = 0; n < logits.rows(); n++) {
            int zi = logits.offset() + n * V;
            float logZ = logSumExp(z, zi, V);
            // H = logZ - Σ p·z, one pass over the row.
            double expectedLogit = 0;
            for (int v = 0; v < V; v++) {
                float zv = z.get(zi + v);
                expectedLogit += Math.exp(zv - logZ) * zv;
            }
            logprobs[n] = z.get(zi + targets[n]) - logZ;
            entropy[n] = (float) (logZ - expectedLogit);
        }
    }

    @Override
    public void tokenLogProbsBackward(Matrix dlogits, Matrix logits, int[] targets, float[] dLogprobs,
            float[] dEntropy) {
        int V = logits.cols();
        FloatBuffer z = logits.floats();
        FloatBuffer d = dlogits.floats();
        for (int n = 0; n < logits.rows(); n++) {
            int zi = logits.offset() + n * V;
            int di = dlogits.offset() + n * V;
            float gLogprob = dLogprobs[n];
            float gEntropy = dEntropy[n];
            if (gLogprob == 0f && gEntropy == 0f) {
                for (int v = 0; v < V; v++) {
                    d.put(di + v, 0f);
                }
                continue;
            }
            float logZ = logSumExp(z, zi, V);
            float h = 0;
            if (gEntropy != 0f) {
                double expectedLogit = 0;
                for (int v = 0; v < V; v++) {
                    float zv = z.get(zi + v);
                    expectedLogit += Math.exp(zv - logZ) * zv;
                }
                h = (float) (logZ - expectedLogit);
            }
            for (int v = 0; v < V; v++) {
                float logp = z.get(zi + v) - logZ;
                float p = (float) Math.exp(logp);
                d.put(di + v, -gLogprob * p - gEntropy * p * (logp + h));
            }
            d.put(di + targets[n], d.get(di + targets[n]) + gLogprob);
        }
    }

    private static float logSumExp(FloatBuffer z, int start, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < length; v++) {
            max = Math.max(max, z.get(start + v));
        }
        double sum = 0;
        for (int v = 0; v < length; v++) {
            sum += Math.exp(z.get(start + v) - max);
        }
        return (float) (max + Math.log(sum));
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
                int ci = cache.offset() + ((s * H + h) * maxT + positions[s]) * D;
                for (int d = 0; d < D; d++) {
                    cb.put(ci + d, sb.get(si + h * D + d));
                }
            }
        }
    }

    @Override
    public void cachedAttention(Matrix out, Matrix qkv, Matrix keys, Matrix values, int[] positions, int H,
            int maxT) {
        int D = keys.cols();
        float scale = (float) (1.0 / Math.sqrt(D));
        FloatBuffer q = qkv.floats();
        FloatBuffer kb = keys.floats();
        FloatBuffer vb = values.floats();
        FloatBuffer o = out.floats();
        float[] weights = new float[maxT];
        float[] y = new float[D];
        for (int s = 0; s < out.rows(); s++) {
            int length = positions[s] + 1;
            for (int h = 0; h < H; h++) {
                int qi = qkv.offset() + s * qkv.cols() + h * D;
                int base = (s * H + h) * maxT;
                float max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < length; p++) {
                    int ki = keys.offset() + (base + p) * D;
                    float dot = 0;
                    for (int d = 0; d < D; d++) {
                        dot += q.get(qi + d) * kb.get(ki + d);
                    }
                    weights[p] = dot * scale;
                    max = Math.max(max, weights[p]);
                }
                float sum = 0;
                for (int p = 0; p < length; p++) {
                    weights[p] = (float) Math.exp(weights[p] - max);
                    sum += weights[p];
                }
                Arrays.fill(y, 0f);
                for (int p = 0; p < length; p++) {
                    float w = weights[p] / sum;
                    int vi = values.offset() + (base + p) * D;
                    for (int d = 0; d < D; d++) {
                        y[d] += w * vb.get(vi + d);
                    }
                }
                int oi = out.offset() + s * out.cols() + h * D;
                for (int d = 0; d < D; d++) {
                    o.put(oi + d, y[d]);
                }
            }
        }
    }
}
