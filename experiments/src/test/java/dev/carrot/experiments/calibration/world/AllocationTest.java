package dev.carrot.experiments.calibration.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class AllocationTest {

    @Test
    void smallestWholeRatioFindsTheFewestCopies() {
        assertArrayEquals(new int[] {2, 1, 1}, Allocation.smallestWholeRatio(12, 0.5, 0.25, 0.25));
        assertArrayEquals(new int[] {1, 1, 1}, Allocation.smallestWholeRatio(12, 1 / 3.0, 1 / 3.0, 1 / 3.0 + 1e-12));
        assertArrayEquals(new int[] {3, 1, 0}, Allocation.smallestWholeRatio(12, 0.75, 0.25, 0));
        assertArrayEquals(new int[] {4, 5, 3}, Allocation.smallestWholeRatio(12, 0.33, 0.41, 0.26)); // none within 12
        assertArrayEquals(new int[] {2, 1, 1}, new WorldConfig.SftStyles(0.5, 0.25, 0.25).copiesPerQuestion());
    }
}
