package dev.carrot.trainer.rl;

/**
 * Masked statistics over flat {@code [B·T]} arrays, row-major over (sequence b, time t).
 *
 * <p>{@code mask[n]} is 1 for a completion token that counts and 0 for prompt or padding; any other value is an error.
 * Statistics are token-level, as TRL's {@code masked_mean}: every counted token weighs the same, so a long completion
 * weighs more than a short one. All accumulation is in double.
 */
public final class Masked {

    private Masked() {
    }

    /** Σ mask·x; 0 for an all-zero mask. */
    public static double sum(float[] x, float[] mask) {
        requireSameLength("x", x, mask);
        requireBinary(mask);
        double sum = 0;
        for (int n = 0; n < x.length; n++) {
            if (mask[n] != 0) {
                sum += x[n];
            }
        }
        return sum;
    }

    /** Σ mask·x / Σ mask. Throws when the mask counts no token. */
    public static double mean(float[] x, float[] mask) {
        double sum = sum(x, mask);
        return sum / requireTokens(mask);
    }

    /**
     * Unbiased (Bessel-corrected, as TRL's {@code masked_var}) variance over masked entries:
     * Σ mask·(x − mean)² / (Σ mask − 1). Throws when the mask counts fewer than two tokens, where it is undefined.
     */
    public static double variance(float[] x, float[] mask) {
        int tokens = requireTokens(mask);
        if (tokens < 2) {
            throw new IllegalArgumentException(
                    "the mask counts a single token; the unbiased variance needs at least two");
        }
        return squaredDeviations(x, mask) / (tokens - 1);
    }

    /**
     * Σ mask·(x − mean)², exactly 0 when all masked entries are equal (a mean computed in floating point can miss a
     * constant by an ulp, and callers dividing by this quantity must be able to test for zero).
     */
    static double squaredDeviations(float[] x, float[] mask) {
        double mean = mean(x, mask);
        double sum = 0;
        int first = -1;
        boolean constant = true;
        for (int n = 0; n < x.length; n++) {
            if (mask[n] != 0) {
                if (first < 0) {
                    first = n;
                }
                constant &= x[n] == x[first];
                double d = x[n] - mean;
                sum += d * d;
            }
        }
        return constant ? 0 : sum;
    }

    /** The number of counted tokens; throws when it is zero, where a mean over the mask is undefined. */
    static int requireTokens(float[] mask) {
        requireBinary(mask);
        int tokens = 0;
        for (float m : mask) {
            if (m != 0) {
                tokens++;
            }
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("the mask counts no token (all " + mask.length
                    + " entries are 0); a masked mean is undefined");
        }
        return tokens;
    }

    static void requireBinary(float[] mask) {
        for (int n = 0; n < mask.length; n++) {
            if (mask[n] != 0 && mask[n] != 1) {
                throw new IllegalArgumentException("mask[" + n + "] = " + mask[n] + "; expected 0 or 1");
            }
        }
    }

    static void requireSameLength(String name, float[] array, float[] mask) {
        if (array.length != mask.length) {
            throw new IllegalArgumentException(
                    name + " has length " + array.length + " but the mask has length " + mask.length);
        }
    }

    static void requireShape(float[] mask, int B, int T) {
        if (B < 0 || T < 0 || (long) B * T != mask.length) {
            throw new IllegalArgumentException(
                    "the mask has length " + mask.length + "; expected B·T = " + B + "·" + T);
        }
    }
}
