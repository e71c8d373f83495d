package dev.carrot.policy.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Holds {@link FastMath} to {@link Math} on a dense grid. */
class FastMathTest {

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
