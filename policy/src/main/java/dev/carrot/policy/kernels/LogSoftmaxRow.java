package dev.carrot.policy.kernels;

/**
 * The log-softmax normaliser of one row of logits, computed one way everywhere: by the training pass's
 * {@link Kernels#tokenLogProbs} and by the sampler, so that the log-probability a rollout reports for a token is
 * the training pass's for the same logits, bit for bit.
 */
public final class LogSoftmaxRow {

    private LogSoftmaxRow() {}

    /** The largest of {@code z[0..length)}. */
    public static float max(float[] z, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < length; v++) {
            max = Math.max(max, z[v]);
        }
        return max;
    }

    /** {@code e[v] = exp(z[v] - max)} for v < length; returns {@code Σ e}. */
    public static double exponentiate(float[] z, int length, float max, float[] e) {
        double sum = 0;
        for (int v = 0; v < length; v++) {
            e[v] = (float) Math.exp(z[v] - max);
            sum += e[v];
        }
        return sum;
    }

    /** {@code log Σ exp(z)} from the row's max and {@link #exponentiate}'s sum; {@code z[v] - logZ} is log p(v). */
    public static float logNormalizer(float max, double sum) {
        return (float) (max + Math.log(sum));
    }
}
