package dev.carrot.trainer.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskedTest {

    // The last entry is padding: its 100 must not leak into any statistic.
    private static final float[] X = {1, 2, 3, 100};
    private static final float[] MASK = {1, 1, 1, 0};

    @Test
    void sumAndMeanCountOnlyMaskedEntries() {
        // 1 + 2 + 3 = 6; 6 / 3 = 2
        assertEquals(6.0, Masked.sum(X, MASK), 0);
        assertEquals(2.0, Masked.mean(X, MASK), 0);
    }

    @Test
    void varianceIsBesselCorrected() {
        // deviations from 2: −1, 0, 1 → squares sum to 2 → 2 / (3 − 1) = 1
        assertEquals(1.0, Masked.variance(X, MASK), 1e-12);
    }

    @Test
    void constantInputHasExactlyZeroVariance() {
        // 0.1f summed three times and divided by 3 misses 0.1f by rounding; the variance must still be exactly 0.
        float[] x = {0.1f, 0.1f, 0.1f};
        assertEquals(0.0, Masked.variance(x, new float[] {1, 1, 1}), 0);
    }

    @Test
    void aMaskCountingNoTokenIsRefusedByMeanAndVariance() {
        float[] none = {0, 0, 0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Masked.mean(X, none));
        assertTrue(e.getMessage().contains("counts no token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Masked.variance(X, none));
        // An empty sum is simply 0.
        assertEquals(0.0, Masked.sum(X, none), 0);
    }

    @Test
    void varianceOfASingleTokenIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Masked.variance(X, new float[] {0, 1, 0, 0}));
        assertTrue(e.getMessage().contains("single token"), e.getMessage());
    }

    @Test
    void malformedMasksAreRefused() {
        IllegalArgumentException fractional = assertThrows(IllegalArgumentException.class,
                () -> Masked.mean(X, new float[] {1, 0.5f, 1, 0}));
        assertTrue(fractional.getMessage().contains("mask[1]"), fractional.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> Masked.sum(X, new float[] {1, 1, 1}));
        assertTrue(length.getMessage().contains("length 4") && length.getMessage().contains("length 3"),
                length.getMessage());
    }
}
