package dev.carrot.policy.optim;

import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tensor.Parallel;
import java.nio.FloatBuffer;

/** Global-norm gradient clipping, as in {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {

    /**
     * Elements per partial sum of squares. The blocks are fixed, not the threads' ranges, so the norm is the same
     * to the last bit whatever the thread count.
     */
    private static final int BLOCK = 1 << 13;

    private GradientClipping() {}

    /** The L2 norm of all gradients together. */
    public static double globalNorm(GptParameters gradients) {
        double[] partial = new double[blocks(gradients)];
        forEachBlock(gradients, false, (block, values, length) -> partial[block] = sumOfSquares(values, length));
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales all gradients by {@code maxNorm / norm} when their global norm exceeds {@code maxNorm}.
     *
     * @return the norm before clipping, the figure training logs report
     */
    public static double clip(GptParameters gradients, double maxNorm) {
        double norm = globalNorm(gradients);
        if (norm > maxNorm && norm > 0) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            forEachBlock(gradients, true, (block, values, length) -> {
                for (int i = 0; i < length; i++) {
                    values[i] *= scale;
                }
            });
        }
        return norm;
    }

    /** A pass over one block's values, copied into a heap array (where C2 vectorises loops; it does not over buffers). */
    @FunctionalInterface
    private interface BlockBody {
        void run(int block, float[] values, int length);
    }

    /** Runs {@code body} on every block of the gradients across the threads; writes the values back if asked. */
    private static void forEachBlock(GptParameters gradients, boolean writeBack, BlockBody body) {
        FloatBuffer g = gradients.flat().floats();
        int size = Math.toIntExact(gradients.count());
        Parallel.forEachRange(blocks(gradients), BLOCK, Parallel.MIN_ELEMENTS_PER_RANGE, (range, from, to) -> {
            float[] values = new float[BLOCK];
            for (int block = from; block < to; block++) {
                int length = Math.min(BLOCK, size - block * BLOCK);
                g.get(block * BLOCK, values, 0, length);
                body.run(block, values, length);
                if (writeBack) {
                    g.put(block * BLOCK, values, 0, length);
                }
            }
        });
    }

    private static int blocks(GptParameters gradients) {
        return Math.toIntExact((gradients.count() + BLOCK - 1) / BLOCK);
    }

    /** Σ x² in double; four accumulators, so that each addition need not wait for the one before. */
    private static double sumOfSquares(float[] x, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            double a = x[i];
            double b = x[i + 1];
            double c = x[i + 2];
            double d = x[i + 3];
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        for (; i < length; i++) {
            double a = x[i];
            s0 += a * a;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
