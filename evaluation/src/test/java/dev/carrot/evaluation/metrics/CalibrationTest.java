package dev.carrot.evaluation.metrics;

import dev.carrot.rewards.grading.Style;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calibration metrics against values worked out by hand. Of {@link HandMadeItems}, six are calibrated: the
 * attempted ones with a confidence (1, 2, 3, 4, 5, 9); abstentions, unparseable output and the item without a
 * confidence are left out. Confidences 0.9, 0.8, 0.7, 0.4, 0.3, 0.8 with correctness 1, 1, 0, 1, 0, 0.
 */
class CalibrationTest {

    private static final double EPS = 1e-12;
    private static final double[] CONFIDENCE = {0.9, 0.8, 0.7, 0.4, 0.3, 0.8};
    private static final boolean[] CORRECT = {true, true, false, true, false, false};

    private final Calibration calibration = Calibration.of(HandMadeItems.items());

    @Test
    void populationIsAttemptedItemsWithAConfidence() {
        assertEquals(6, calibration.n());
    }

    @Test
    void brier() {
        // (0.1² + 0.2² + 0.7² + 0.6² + 0.3² + 0.8²) / 6
        assertEquals((0.01 + 0.04 + 0.49 + 0.36 + 0.09 + 0.64) / 6, calibration.brier(), EPS);
        assertEquals(calibration.brier(), Calibration.brier(CONFIDENCE, CORRECT), EPS);
    }

    @Test
    void reliabilityBinsAndEce() {
        List<ReliabilityBin> bins = calibration.bins();
        assertEquals(10, bins.size());
        assertEquals(new ReliabilityBin(0.8, 0.9, 2, 0.8, 0.5), bins.get(8));
        assertEquals(1, bins.get(3).count());
        assertEquals(0, bins.get(5).count());
        assertTrue(Double.isNaN(bins.get(5).accuracy()));
        // Gaps |accuracy - confidence| weighted by bin size: bins 3, 4, 7, 8 (two items), 9.
        assertEquals((0.3 + 0.6 + 0.7 + 2 * 0.3 + 0.1) / 6, calibration.ece(), EPS);
    }

    @Test
    void confidenceOfOneFallsInTheLastBin() {
        List<ReliabilityBin> bins = Calibration.reliability(new double[] {1.0, 0.0}, new boolean[] {true, false});
        assertEquals(1, bins.get(9).count());
        assertEquals(1, bins.get(0).count());
        assertEquals(0, Calibration.ece(bins, 2), EPS);
    }

    @Test
    void aurocCountsTiesAsHalf() {
        // Pairs (correct, incorrect) won: 0.9 beats all three; 0.8 beats 0.7 and 0.3 and ties 0.8; 0.4 beats 0.3.
        assertEquals((3 + 2.5 + 1) / 9, calibration.auroc(), EPS);
        assertEquals(0.5, Calibration.auroc(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, true}), EPS);
        assertEquals(1, Calibration.auroc(new double[] {0.9, 0.1}, new boolean[] {true, false}), EPS);
        assertEquals(0, Calibration.auroc(new double[] {0.1, 0.9}, new boolean[] {true, false}), EPS);
        assertTrue(Double.isNaN(Calibration.auroc(new double[] {0.2, 0.9}, new boolean[] {true, true})));
    }

    @Test
    void riskCoverageResolvesTiesInExpectation() {
        // Ranked: 0.9 ok, {0.8 ok, 0.8 wrong}, 0.7 wrong, 0.4 ok, 0.3 wrong. Inside the tie one error is expected
        // half a time at k = 2.
        List<RiskCoveragePoint> curve = calibration.riskCoverage();
        double[] risks = {0, 0.5 / 2, 1.0 / 3, 2.0 / 4, 2.0 / 5, 3.0 / 6};
        assertEquals(6, curve.size());
        for (int k = 0; k < 6; k++) {
            assertEquals((k + 1) / 6.0, curve.get(k).coverage(), EPS);
            assertEquals(risks[k], curve.get(k).risk(), EPS, "k = " + (k + 1));
        }
        assertEquals((0 + 0.25 + 1.0 / 3 + 0.5 + 0.4 + 0.5) / 6, calibration.aurc(), EPS);
    }

    @Test
    void inputOrderDoesNotMatter() {
        double[] reversed = {0.8, 0.3, 0.4, 0.7, 0.8, 0.9};
        boolean[] reversedCorrect = {false, false, true, false, true, true};
        assertEquals(calibration.aurc(), Calibration.aurc(Calibration.riskCoverage(reversed, reversedCorrect)), EPS);
        assertEquals(calibration.auroc(), Calibration.auroc(reversed, reversedCorrect), EPS);
    }

    @Test
    void noCalibratedItemsLeaveEveryFigureUndefined() {
        Calibration empty = Calibration.of(List.of(HandMadeItems.item(1, Style.ABSTAINED,
                false, 0.9)));
        assertEquals(0, empty.n());
        assertTrue(Double.isNaN(empty.brier()));
        assertTrue(Double.isNaN(empty.ece()));
        assertTrue(Double.isNaN(empty.auroc()));
        assertTrue(Double.isNaN(empty.aurc()));
        assertTrue(empty.riskCoverage().isEmpty());
    }
}
