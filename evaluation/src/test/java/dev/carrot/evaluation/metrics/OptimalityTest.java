package dev.carrot.evaluation.metrics;

import dev.carrot.rewards.analysis.Action;
import dev.carrot.rewards.analysis.RewardAnalysis;
import dev.carrot.rewards.analysis.RewardAnalyzer;
import dev.carrot.rewards.grading.Style;
import dev.carrot.rewards.schemes.Payoffs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Optimal-action metrics against values worked out by hand. Under the calibration payoffs (1 / 0.5 / 0 / -2 / -4)
 * answering earns 5p - 4, hedging 2.5p - 2 and abstaining 0: abstain below p = 0.8, answer above, all three tie at
 * 0.8. Under the hedge-band payoffs (1 / 0.5 / 0 / -0.5 / -5) answering earns 6p - 5 and hedging p - 0.5: abstain
 * below 0.5, hedge between 0.5 and 0.9, answer above.
 */
class OptimalityTest {

    private static final double EPS = 1e-12;
    private static final RewardAnalysis CALIBRATION = RewardAnalyzer.analyze("calibration", Payoffs.CALIBRATION);
    private static final RewardAnalysis HEDGE_BAND = RewardAnalyzer.analyze("hedge-band",
            new Payoffs(1, 0.5, 0, -0.5, -5));

    @Test
    void aTierRightOneTimeInFourShouldAbstain() {
        // C = 1, I = 3: p = 0.25, where only abstaining pays; two of the six items abstain.
        List<GradedItem> tier = tier(
                repeat(1, Style.ANSWERED, true),
                repeat(2, Style.ANSWERED, false),
                repeat(1, Style.HEDGED, false),
                repeat(2, Style.ABSTAINED, false));
        Optimality optimality = measure(tier, CALIBRATION);
        assertEquals(0.25, optimality.measuredP(), EPS);
        assertEquals(Optional.of(Action.ABSTAIN), optimality.optimalAction());
        assertEquals(2.0 / 6, optimality.optimalActionRate(), EPS);
    }

    @Test
    void aTierRightNineTimesInTenShouldAnswerPlainlyAndUnparseableOutputCountsAsAnAnswer() {
        // C = 9 (7 plain, 2 hedged), I = 1 (the unparseable one): p = 0.9, where answering earns 0.5 and hedging
        // 0.25, so hedges are not optimal. The plain answers are the 7 right ones and the unparseable output: 8 of 11.
        List<GradedItem> tier = tier(
                repeat(7, Style.ANSWERED, true),
                repeat(2, Style.HEDGED, true),
                repeat(1, Style.UNPARSEABLE, false),
                repeat(1, Style.ABSTAINED, false));
        Optimality optimality = measure(tier, CALIBRATION);
        assertEquals(0.9, optimality.measuredP(), EPS);
        assertEquals(Optional.of(Action.ANSWER), optimality.optimalAction());
        assertEquals(8.0 / 11, optimality.optimalActionRate(), EPS);
    }

    @Test
    void aSchemeWithAHedgeBandMakesHedgingOptimalInIt() {
        // C = 7, I = 3: p = 0.7, where hedging earns 0.2, abstaining 0 and answering -0.8. Six of twelve items hedge.
        List<GradedItem> tier = tier(
                repeat(4, Style.HEDGED, true),
                repeat(3, Style.ANSWERED, true),
                repeat(2, Style.HEDGED, false),
                repeat(1, Style.ANSWERED, false),
                repeat(2, Style.ABSTAINED, false));
        Optimality optimality = measure(tier, HEDGE_BAND);
        assertEquals(0.7, optimality.measuredP(), EPS);
        assertEquals(Optional.of(Action.HEDGE), optimality.optimalAction());
        assertEquals(0.5, optimality.optimalActionRate(), EPS);
    }

    @Test
    void atATieEveryTiedActionIsOptimalAndTheMostCautiousIsNamed() {
        // C = 4, I = 1: p = 0.8, where answering, hedging and abstaining all earn 0.
        List<GradedItem> tier = tier(
                repeat(3, Style.ANSWERED, true),
                repeat(1, Style.HEDGED, true),
                repeat(1, Style.HEDGED, false),
                repeat(2, Style.ABSTAINED, false));
        Optimality optimality = measure(tier, CALIBRATION);
        assertEquals(0.8, optimality.measuredP(), EPS);
        assertEquals(Optional.of(Action.ABSTAIN), optimality.optimalAction());
        assertEquals(1, optimality.optimalActionRate(), EPS);
    }

    @Test
    void withoutAttemptsPIsUnmeasured() {
        Optimality optimality = measure(tier(repeat(3, Style.ABSTAINED, false)), CALIBRATION);
        assertTrue(Double.isNaN(optimality.measuredP()));
        assertEquals(Optional.empty(), optimality.optimalAction());
        assertTrue(Double.isNaN(optimality.optimalActionRate()));
        assertTrue(Double.isNaN(optimality.optimalActionRateByConfidence()), "abstentions carry no answer probability");
    }

    @Test
    void byConfidenceJudgesEachAttemptedItemAtItsOwnConfidence() {
        List<GradedItem> tier = List.of(
                HandMadeItems.item(1, Style.ANSWERED, true, 0.9),     // answer optimal at 0.9: yes
                HandMadeItems.item(2, Style.ANSWERED, false, 0.5),    // abstain optimal at 0.5: no
                HandMadeItems.item(3, Style.HEDGED, true, 0.95),      // answer optimal at 0.95, hedge worse: no
                HandMadeItems.item(4, Style.HEDGED, false, 0.8),      // all tie at 0.8: yes
                HandMadeItems.item(5, Style.ABSTAINED, false, 0.99),  // no answer: left out
                HandMadeItems.item(6, Style.ANSWERED, true, Double.NaN), // no confidence: left out
                HandMadeItems.item(7, Style.UNPARSEABLE, false, 0.9)); // states no answer: left out
        assertEquals(0.5, measure(tier, CALIBRATION).optimalActionRateByConfidence(), EPS);
        // In the hedge-band scheme a hedge at 0.7 is the one optimal action; a plain answer at 0.7 is not.
        List<GradedItem> hedged = List.of(HandMadeItems.item(1, Style.HEDGED, false, 0.7),
                HandMadeItems.item(2, Style.ANSWERED, true, 0.7));
        assertEquals(0.5, measure(hedged, HEDGE_BAND).optimalActionRateByConfidence(), EPS);
    }

    @Test
    void theHandMadeItemsUnderTheFlagshipScheme() {
        // C = 4, I = 4: p = 0.5, so abstaining is optimal, and items 6 and 7 of ten abstain. By confidence, the
        // attempted items 1 (answer at 0.9), 2 (answer at 0.8, a tie) and 9 (answer at 0.8) are optimal; 3 (answer
        // at 0.7), 4 (hedge at 0.4) and 5 (hedge at 0.3) are not: three of six.
        GroupMetrics metrics = GroupMetrics.of(HandMadeItems.items(), CALIBRATION);
        Optimality optimality = metrics.optimality();
        assertEquals(metrics.tally().correctGivenAttempted(), optimality.measuredP(), EPS);
        assertEquals(Optional.of(Action.ABSTAIN), OptimalityMetric.OPTIMAL_ACTION.action(optimality));
        assertEquals(0.2, OptimalityMetric.OPTIMAL_ACTION_RATE.of(optimality), EPS);
        assertEquals(0.5, OptimalityMetric.OPTIMAL_ACTION_RATE_BY_CONFIDENCE.of(optimality), EPS);
        assertThrows(IllegalStateException.class, () -> OptimalityMetric.OPTIMAL_ACTION.of(optimality));
        assertThrows(IllegalStateException.class, () -> OptimalityMetric.MEASURED_P.action(optimality));
    }

    private static Optimality measure(List<GradedItem> items, RewardAnalysis analysis) {
        return Optimality.of(items, Tally.of(items).correctGivenAttempted(), analysis);
    }

    @SafeVarargs
    private static List<GradedItem> tier(List<GradedItem>... groups) {
        return Stream.of(groups).flatMap(List::stream).toList();
    }

    /** {@code count} items of one style and correctness; the confidence is irrelevant to the per-group rates. */
    private static List<GradedItem> repeat(int count, Style style, boolean correct) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> HandMadeItems.item(i, style, correct, 0.5)).toList();
    }
}
