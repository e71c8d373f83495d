package dev.carrot.policy.kernels;

import dev.carrot.policy.tensor.Matrix;

/**
 * The kernels written as directly from their formulas as possible, accumulating in double precision. Slow; the
 * tests hold {@link JavaKernels} and any other implementation to it.
 */
public final class ReferenceKernels implements Kernels {

    static final double LAYER_NORM_EPS = 1e-5;
    private static final double GELU_SCALE = Math.sqrt(2.0 / Math.PI);

    @Override
    public void embed(Matrix out, int[] tokens, int[] positions, Matrix wte, Matrix wpe) {
        for (int n = 0; n < out.rows(); n++) {
            for (int c = 0; c < out.cols(); c++) {
                out.set(n, c, wte.get(tokens[n], c) + wpe.get(positions[n], c));
            }
        }
    }

    @Override
    public void embedBackward(Matrix dwte, Matrix dwpe, Matrix dout, int[] tokens, int[] positions) {
        for (int n = 0; n < dout.rows(); n++) {
            for (int c = 0; c < dout.cols(); c++) {
                dwte.set(tokens[n], c, dwte.get(tokens[n], c) + dout.get(n, c));
                dwpe.set(positions[n], c, dwpe.get(positions[n], c) + dout.get(n, c));
            }
        }
    }

    @Override
    public void layerNorm(Matrix out, Matrix stats, Matrix x, Matrix weight, Matrix bias) {
        int C = x.cols();
        for (int n = 0; n < x.rows(); n++) {
            double mean = 0;
            for (int c = 0; c < C; c++) {
                mean += x.get(n, c);
            }
            mean /= C;
            double variance = 0;
            for (int c = 0; c < C; c++) {
                double d = x.get(n, c) - mean;
                variance += d * d;
            }
            variance /= C;
            double rstd = 1.0 / Math.sqrt(variance + LAYER_NORM_EPS);
            for (int c = 0; c < C; c++) {
                out.set(n, c, (float) ((x.get(n, c) - mean) * rstd * weight.get(0, c) + bias.get(0, c)));
            }
            stats.set(n, 0, (float) mean);
            stats.set(n, 1, (float) rstd);
        }
    }

    @Override
    public void layerNormBackward(Matrix dx, Matrix dweight, Matrix dbias, Matrix dout, Matrix x, Matrix weight,
            Matrix stats) {
        int C = x.cols();
        for (int n = 0; n < x.rows(); n++) {
            double mean = stats.get(n, 0);
            double rstd = stats.get(n, 1);
            // y = xhat·w + b with xhat = (x - mean)·rstd; dL/dxhat = dout·w.
            double meanDxhat = 0;
            double meanDxhatXhat = 0;
            for (int c = 0; c < C; c++) {
                double xhat = (x.get(n, c) - mean) * rstd;
                double dxhat = dout.get(n, c) * weight.get(0, c);
                meanDxhat += dxhat;
                meanDxhatXhat += dxhat * xhat;
            }
            meanDxhat /= C;
            meanDxhatXhat /= C;
            for (int c = 0; c < C; c++) {
                double xhat = (x.get(n, c) - mean) * rstd;
                double dxhat = dout.get(n, c) * weight.get(0, c);
                dx.set(n, c, (float) (dx.get(n, c) + rstd * (dxhat - meanDxhat - xhat * meanDxhatXhat)));
                dweight.set(0, c, (float) (dweight.get(0, c) + dout.get(n, c) * xhat));
                dbias.set(0, c, dbias.get(0, c) + dout.get(n, c));
            }
        }
    }

    @Override
    public void addBias(Matrix out, Matrix bias) {
        for (int n = 0; n < out.rows(); n++) {
            for (int k = 0; k < out.cols(); k++) {
                out.set(n, k, out.get(n, k) + bias.get(0, k));
            }
        }
    }

    @Override
    public void biasBackward(Matrix dbias, Matrix dout) {
        for (int k = 0; k < dout.cols(); k++) {
            double sum = 0;
            for (int n = 0; n < dout.rows(); n++) {
                sum += dout.get(n, k);
            }
            dbias.set(0, k, (float) (dbias.get(0, k) + sum));
        }
    }

    @Override
    public void add(Matrix out, Matrix a, Matrix b) {
        for (int n = 0; n < out.rows(); n++) {
            for (int k = 0; k < out.cols(); k++) {
                out.set(n, k, a.get(n, k) + b.get(n, k));
            }
        }
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(GELU_SCALE * (x + 0.044715 * x * x * x)));
    }

    static double geluDerivative(double x) {
        double u = GELU_SCALE * (x + 0.044715 * x * x * x);
        double tanh = Math.tanh(u);
        return 0.5 * (1 + tanh) + 0.5 * x * (1 - tanh * tanh) * GELU_SCALE * (1 + 3 * 0.044715 * x * x);
    }

    @Override
    public void gelu(Matrix out, Matrix x) {
        for (int n = 0; n < x.rows(); n++) {
            for (int k = 0; k < x.cols(); k++) {
                out.set(n, k, (float) gelu(x.get(n, k)));
            }
        }
    }

    @Override
    public void geluBackward(Matrix dx, Matrix x, Matrix dout) {
        for (int n = 0; n < x.rows(); n++) {
            for (int k = 0; k < x.cols(); k++) {
                dx.set(n, k, (float) (geluDerivative(x.get(n, k)) * dout.get(n, k)));
            }
        }
    }

    @Override
    public void toHeads(Matrix dst, Matrix src, int part, int B, int T, int H) {
        int D = dst.cols();
        int C = H * D;
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int t = 0; t < T; t++) {
                    for (int d = 0; d < D; d++) {
                        dst.set((b * H + h) * T + t, d, src.get(b * T + t, part * C + h * D + d));
                    }
                }
            }
        }
    }

    @Override
    public void fromHeads(Matrix dst, int part, Matrix src, int B, int T, int H) {
        int D = src.cols();
        int C = H * D;
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int t = 0; t < T; t++) {
                    for (int d = 0; d < D; d++) {
                        dst.set(b * T + t, part * C + h * D + d, src.get((b * H + h) * T + t, d));
                    }
                }
            }
        }
    }

    @Override
    public void causalSoftmax(Matrix att, int T, float scale) {
        for (int r = 0; r < att.rows(); r++) {
            int t = r % T;
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s <= t; s++) {
                max = Math.max(max, scale * (double) att.get(r, s));
            }
            double sum = 0;
            for (int s = 0; s <= t; s++) {
                sum += Math.exp(scale * (double) att.get(r, s) - max);
            }
            for (int s = 0; s < T; s++) {
                att.set(r, s, s <= t ? (float) (Math.exp(scale * (double) att.get(r, s) - max) / sum) : 0f);
            }
        }
    }

    @Override
    public void causalSoftmaxBackward(Matrix datt, Matrix att, int T, float scale) {
        for (int r = 0; r < att.rows(); r++) {
            int t = r % T;
            double dot = 0;
            for (int s = 0; s <= t; s++) {
                dot += (double) att.get(r, s) * datt.get(r, s);
            }
            for (int s = 0; s < T; s++) {
                double grad = s <= t ? scale * att.get(r, s) * (datt.get(r, s) - dot) : 0;
                datt.set(r, s, (float) grad);
            }
        }
    }

    @Override
    public void tokenLogProbs(Matrix logits, int[] targets, float[] logprobs, float[] entropy) {
        for (int n = 0; n < logits.rows(); n++) {
            double logZ = logSumExp(logits, n);
            double h = 0;
            for (int v = 0; v < logits.cols(); v++) {
                double logp = logits.get(n, v) - logZ;
                h -= Math.exp(logp) * logp;
            }
            logprobs[n] = (float) (logits.get(n, targets[n]) - logZ);
            entropy[n] = (float) h;
        }
    }

    @Override
    public void tokenLogProbsBackward(Matrix dlogits, Matrix logits, int[] targets, float[] dLogprobs,
            float[] dEntropy) {
        for (int n = 0; n < logits.rows(); n++) {
            double logZ = logSumExp(logits, n);
            double h = 0;
            for (int v = 0; v < logits.cols(); v++) {
                double logp = logits.get(n, v) - logZ;
                h -= Math.exp(logp) * logp;
            }
            for (int v = 0; v < logits.cols(); v++) {
                double logp = logits.get(n, v) - logZ;
                double p = Math.exp(logp);
                double dLogprob = (v == targets[n] ? 1 : 0) - p; // ∂ log p_target / ∂ z_v
                double dH = -p * (logp + h); // ∂ H / ∂ z_v
                dlogits.set(n, v, (float) (dLogprobs[n] * dLogprob + dEntropy[n] * dH));
            }
        }
    }

    private static double logSumExp(Matrix logits, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < logits.cols(); v++) {
            max = Math.max(max, logits.get(n, v));
        }
        double sum = 0;
        for (int v = 0; v < logits.cols(); v++) {
            sum += Math.exp(logits.get(n, v) - max);
        }
        return max + Math.log(sum);
    }

    @Override
    public void writeCache(Matrix cache, Matrix src, int part, int[] positions, int H, int maxT) {
        int D = cache.cols();
        int C = H * D;
        for (int s = 0; s < src.rows(); s++) {
            for (int h = 0; h < H; h++) {
                for (int d = 0; d < D; d++) {
                    cache.set((s * H + h) * maxT + positions[s], d, src.get(s, part * C + h * D + d));
                }
            }
        }
    }

    @Override
    public void cachedAttention(Matrix out, Matrix weights, Matrix qkv, Matrix keys, Matrix values, int[] positions,
            int H, int maxT) {
        int D = keys.cols();
        for (int s = 0; s < out.rows(); s++) {
            for (int h = 0; h < H; h++) {
                int item = s * H + h;
                attendOne(qkv, s, h * D, keys, values, item * maxT, positions[s] + 1, weights, item, out, s, h * D);
            }
        }
    }

    @Override
    public void causalAttention(Matrix y, Matrix att, Matrix q, Matrix k, Matrix v, int T) {
        for (int r = 0; r < q.rows(); r++) {
            int t = r % T;
            for (int p = t + 1; p < T; p++) {
                att.set(r, p, 0f);
            }
            attendOne(q, r, 0, k, v, r - t, t + 1, att, r, y, r, 0);
        }
    }

    /**
     * Attention of the query at row qRow, columns qCol.. of q over rows block..block+length-1 of keys and values:
     * the weights into row weightsRow of weights, the output into row outRow, columns outCol.. of out.
     */
    private static void attendOne(Matrix q, int qRow, int qCol, Matrix keys, Matrix values, int block, int length,
            Matrix weights, int weightsRow, Matrix out, int outRow, int outCol) {
        int D = keys.cols();
        double scale = 1.0 / Math.sqrt(D);
        double[] scores = new double[length];
        double max = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < length; p++) {
            double dot = 0;
            for (int d = 0; d < D; d++) {
                dot += (double) q.get(qRow, qCol + d) * keys.get(block + p, d);
            }
            scores[p] = scale * dot;
            max = Math.max(max, scores[p]);
        }
        double sum = 0;
        for (int p = 0; p < length; p++) {
            scores[p] = Math.exp(scores[p] - max);
            sum += scores[p];
        }
        for (int p = 0; p < length; p++) {
            scores[p] /= sum;
            weights.set(weightsRow, p, (float) scores[p]);
        }
        for (int d = 0; d < D; d++) {
            double y = 0;
            for (int p = 0; p < length; p++) {
                y += scores[p] * values.get(block + p, d);
            }
            out.set(outRow, outCol + d, (float) y);
        }
    }
}
