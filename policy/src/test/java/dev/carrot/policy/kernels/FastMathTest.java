package dev.carrot.policy.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Holds {@link FastMath} to {@link Math} over the ranges the kernels use, on a dense grid. */
class FastMathTest {

    @Test
    void expIsAccurateToAFewUlpAcrossTheFloatRange() {
        for (float x = -86f; x <= 88.5f; x += 0.001f) {
            double expected = Math.exp(x);
            assertEquals(expected, FastMath.exp(x), 3e-7 * expected, "exp(" + x + ")");
        }
        assertEquals(1f, FastMath.exp(0f));
        assertEquals(Float.POSITIVE_INFINITY, FastMath.exp(100f));
        assertEquals(0f, FastMath.exp(Float.NEGATIVE_INFINITY), 1e-37);
        assertEquals(Float.NaN, FastMath.exp(Float.NaN));
    }

    @Test
    void tanhIsAccurateToFourTenMillionthsAndSaturates() {
        for (float x = -12f; x <= 12f; x += 0.0005f) {
            assertEquals(Math.tanh(x), FastMath.tanh(x), 4e-7, "tanh(" + x + ")");
        }
        assertEquals(0f, FastMath.tanh(0f));
        assertEquals(1f, FastMath.tanh(Float.MAX_VALUE), 4e-7);
        assertEquals(-1f, FastMath.tanh(-Float.MAX_VALUE), 4e-7);
        assertEquals(-FastMath.tanh(0.3f), FastMath.tanh(-0.3f), "odd");
    }
}
