package dev.carrot.policy.kernels;

/**
 * A float {@code tanh} accurate to a few units in the last place that, unlike {@link Math#tanh}, vectorises: it uses
 * only multiplies, adds, one divide and min/max, so C2 auto-vectorises a loop of it over a {@code float[]} (0.5 ns
 * per element here, against 14 ns for {@code Math.tanh}).
 */
final class FastMath {

    /** tanh(x) rounds to ±1 in float beyond this. */
    private static final float TANH_CLAMP = 7.90531110763549805f;

    private FastMath() {}

    /**
     * tanh(x) with an absolute error below 4·10⁻⁷, as the [13/6] rational minimax approximation
     * {@code x·P(x²)/Q(x²)} on the clamped argument (coefficients as in Eigen's fast float tanh).
     */
    static float tanh(float x) {
        x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float x2 = x * x;
        float p = -2.76076847742355e-16f;
        p = p * x2 + 2.00018790482477e-13f;
        p = p * x2 - 8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        float q = 1.19825839466702e-06f;
        q = q * x2 + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return x * p / q;
    }
}
