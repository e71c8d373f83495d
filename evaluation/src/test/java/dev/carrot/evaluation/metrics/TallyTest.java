package dev.carrot.evaluation.metrics;

import dev.carrot.rewards.grading.Style;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every outcome metric against values worked out by hand from {@link HandMadeItems}. */
class TallyTest {

    private static final double EPS = 1e-12;

    private final Tally tally = Tally.of(HandMadeItems.items());

    @Test
    void countsFollowSimpleQa() {
        assertEquals(10, tally.n());
        assertEquals(5, tally.answered());     // 1, 2, 3, 9, 10
        assertEquals(2, tally.hedged());       // 4, 5
        assertEquals(2, tally.abstained());    // 6, 7
        assertEquals(1, tally.unparseable());  // 8
        assertEquals(4, tally.correct());      // 1, 2, 4, 10
        assertEquals(1, tally.hedgedCorrect()); // 4
        assertEquals(4, tally.incorrect());    // 3, 5, 8, 9: unparseable counts as incorrect
        assertEquals(8, tally.attempted());
    }

    @Test
    void rates() {
        assertEquals(0.4, tally.accuracy(), EPS);
        assertEquals(0.4, tally.hallucinationRate(), EPS);
        assertEquals(0.5, tally.correctGivenAttempted(), EPS);
        assertEquals(0.5, tally.incorrectGivenAttempted(), EPS);
        assertEquals(2 * 0.4 * 0.5 / (0.4 + 0.5), tally.fScore(), EPS);
        assertEquals(0.5, tally.answerRate(), EPS);
        assertEquals(0.2, tally.hedgeRate(), EPS);
        assertEquals(0.2, tally.abstainRate(), EPS);
        assertEquals(0.1, tally.unparseableRate(), EPS);
    }

    @Test
    void rewards() {
        // 1 + 1 - 4 + 0.5 - 2 + 0 + 0 - 4 - 4 + 1 = -10.5; the oracle earns +1 on the four correct items.
        assertEquals(-1.05, tally.meanReward(), EPS);
        assertEquals(-10.5 / 4, tally.oracleRewardFraction(), EPS);
    }

    @Test
    void penalisedScores() {
        assertEquals((4 - 1.0 * 4) / 10, tally.penalisedScore(0.5), EPS);
        assertEquals((4 - 3.0 * 4) / 10, tally.penalisedScore(0.75), EPS);
        assertEquals((4 - 9.0 * 4) / 10, tally.penalisedScore(0.9), EPS);
        assertEquals(tally.penalisedScore(0.75), OutcomeMetric.PENALISED_SCORE_T75.of(tally), EPS);
        assertThrows(IllegalArgumentException.class, () -> tally.penalisedScore(1));
    }

    @Test
    void ratiosWithoutAttemptsAreUndefinedAndFScoreIsZero() {
        Tally abstainer = Tally.of(List.of(HandMadeItems.item(1, Style.ABSTAINED, false, 0.5)));
        assertTrue(Double.isNaN(abstainer.correctGivenAttempted()));
        assertTrue(Double.isNaN(abstainer.incorrectGivenAttempted()));
        assertEquals(0, abstainer.fScore());
        assertEquals(0, abstainer.hallucinationRate());
        assertTrue(Double.isNaN(abstainer.oracleRewardFraction()), "an oracle that earns nothing gives no fraction");
    }

    @Test
    void inconsistentCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Tally(3, 1, 1, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Tally(2, 1, 0, 1, 0, 2, 0, 0, 0));
    }
}
