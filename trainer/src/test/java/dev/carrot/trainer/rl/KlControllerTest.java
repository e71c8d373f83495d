package dev.carrot.trainer.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KlControllerTest {

    @Test
    void fixedControllerNeverMoves() {
        KlController controller = KlController.fixed(0.05);
        controller.update(100, 256);
        controller.update(0, 256);
        assertEquals(0.05, controller.beta(), 0);
        assertFalse(controller.adaptive());
    }

    @Test
    void adaptiveControllerRaisesBetaWhenKlIsAboveTarget() {
        KlController controller = KlController.adaptive(0.05, 6, 10_000);
        // error = 6.6/6 − 1 = 0.1 (inside ±0.2) → β·(1 + 0.1·100/10000) = 0.05·1.001 = 0.05005
        controller.update(6.6, 100);
        assertEquals(0.05005, controller.beta(), 1e-15);
        assertTrue(controller.adaptive());
    }

    @Test
    void adaptiveControllerLowersBetaWhenKlIsBelowTarget() {
        KlController controller = KlController.adaptive(0.05, 6, 10_000);
        // error = 5.4/6 − 1 = −0.1 → 0.05·(1 − 0.001) = 0.04995
        controller.update(5.4, 100);
        assertEquals(0.04995, controller.beta(), 1e-15);
    }

    @Test
    void adaptiveStepIsClippedAtTwentyPercentTimesBatchOverHorizon() {
        KlController high = KlController.adaptive(0.05, 6, 10_000);
        // error = 60/6 − 1 = 9, clipped to 0.2 → 0.05·(1 + 0.2·100/10000) = 0.05·1.002 = 0.0501
        high.update(60, 100);
        assertEquals(0.0501, high.beta(), 1e-15);
        KlController low = KlController.adaptive(0.05, 6, 10_000);
        // error = 0/6 − 1 = −1, clipped to −0.2 → 0.05·0.998 = 0.0499
        low.update(0, 100);
        assertEquals(0.0499, low.beta(), 1e-15);
        // On target nothing moves.
        KlController onTarget = KlController.adaptive(0.05, 6, 10_000);
        onTarget.update(6, 100);
        assertEquals(0.05, onTarget.beta(), 0);
    }

    @Test
    void invalidSettingsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KlController.adaptive(0.05, 0, 10_000));
        assertTrue(e.getMessage().contains("targetKl"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KlController.fixed(-0.1));
        assertThrows(IllegalArgumentException.class, () -> KlController.adaptive(0.05, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> KlController.fixed(0.1).update(Double.NaN, 8));
    }
}
