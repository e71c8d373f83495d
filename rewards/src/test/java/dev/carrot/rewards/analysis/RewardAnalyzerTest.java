package dev.carrot.rewards.analysis;

import dev.carrot.rewards.GuardedScheme;
import dev.carrot.rewards.RewardSchemeRegistry;
import dev.carrot.rewards.config.RewardConfig;
import dev.carrot.rewards.grading.Style;
import dev.carrot.rewards.schemes.Payoffs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardAnalyzerTest {

    private static final Payoffs HEDGE_BAND = new Payoffs(1.0, 0.5, 0.0, -0.5, -5.0);

    @Test
    void defaultCalibrationAbstainsBelowPointEightAndNeverHedges() {
        RewardAnalysis analysis = RewardAnalyzer.analyze("calibration", Payoffs.CALIBRATION);

        assertEquals(List.of(
                new Band(new Interval(0.0, true, 0.8, false), Set.of(Action.ABSTAIN)),
                new Band(new Interval(0.8, false, 1.0, true), Set.of(Action.ANSWER))), analysis.bands());
        assertEquals("[0, 0.8)", analysis.bands().get(0).interval().toString());
        assertEquals("(0.8, 1]", analysis.bands().get(1).interval().toString());

        assertEquals(1, analysis.thresholds().size());
        Threshold threshold = analysis.thresholds().get(0);
        assertEquals(0.8, threshold.p(), 1e-15);
        assertEquals(Set.of(Action.ANSWER, Action.HEDGE, Action.ABSTAIN), threshold.tied());
        assertEquals(0.0, threshold.expectedReward(), 1e-12);

        assertFalse(analysis.strictlyOptimalActions().contains(Action.HEDGE));
        assertEquals(1, analysis.warnings().size(), analysis.warnings()::toString);
        String warning = analysis.warnings().get(0);
        assertTrue(warning.startsWith("hedging is never strictly optimal: its payoffs are exactly half of"
                + " answering's (right: 0.5 vs 1, wrong: -2 vs -4)"), warning);
        assertTrue(warning.endsWith("it only ties, at p = 0.8"), warning);
    }

    @Test
    void hedgeBandSchemeMakesEveryActionOptimalSomewhere() {
        RewardAnalysis analysis = RewardAnalyzer.analyze("hedge-band", HEDGE_BAND);

        assertEquals(List.of("abstain [0, 0.5)", "hedge (0.5, 0.9)", "answer (0.9, 1]"),
                analysis.bands().stream()
                        .map(band -> band.actions().iterator().next().label() + " " + band.interval())
                        .toList());
        assertEquals(List.of(0.5, 0.9), analysis.thresholds().stream().map(Threshold::p).toList());
        assertEquals(Set.of(Action.ABSTAIN, Action.HEDGE), analysis.thresholds().get(0).tied());
        assertEquals(Set.of(Action.HEDGE, Action.ANSWER), analysis.thresholds().get(1).tied());
        assertEquals(List.of(), analysis.warnings());
    }

    @Test
    void optimalActionFollowsTheBandsAndAcceptsEitherSideOfATie() {
        RewardAnalysis analysis = RewardAnalyzer.analyze("hedge-band", HEDGE_BAND);

        assertEquals(Action.ABSTAIN, analysis.optimalAction(0.0));
        assertEquals(Action.ABSTAIN, analysis.optimalAction(0.49));
        assertEquals(Action.HEDGE, analysis.optimalAction(0.7));
        assertEquals(Action.ANSWER, analysis.optimalAction(0.95));
        assertEquals(Action.ANSWER, analysis.optimalAction(1.0));
        assertEquals(Action.ABSTAIN, analysis.optimalAction(0.5), "at a tie, the most cautious action");
        assertTrue(analysis.isOptimal(Action.HEDGE, 0.5));
        assertTrue(analysis.isOptimal(Action.ABSTAIN, 0.5));
        assertFalse(analysis.isOptimal(Action.ANSWER, 0.5));
        assertEquals(-0.5 + 0.7, analysis.expectedReward(Action.HEDGE, 0.7), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> analysis.optimalAction(1.5));
        assertEquals(Action.HEDGE, Action.of(Style.HEDGED).orElseThrow());
        assertTrue(Action.of(Style.UNPARSEABLE).isEmpty());
    }

    @Test
    void confidenceTargetThresholdIsTheTarget() {
        RewardAnalysis analysis = RewardAnalyzer.analyze("confidence-target", Payoffs.confidenceTarget(0.75));

        assertEquals(List.of(0.75), analysis.thresholds().stream().map(Threshold::p).toList());
        assertEquals(Set.of(Action.ABSTAIN), analysis.bands().get(0).actions());
        assertEquals(Set.of(Action.ANSWER, Action.HEDGE), analysis.bands().get(1).actions());
        assertEquals(List.of("answer and hedge tie for p in (0.75, 1]: they pay the same there, so the scheme gives"
                + " no reason to prefer one"), analysis.warnings());
    }

    @Test
    void exactMatchNeverRewardsAbstaining() {
        RewardAnalysis analysis = RewardAnalyzer.analyze("exact-match", Payoffs.EXACT_MATCH);

        assertEquals(List.of(new Band(new Interval(0, false, 1, true), Set.of(Action.ANSWER, Action.HEDGE))),
                analysis.bands());
        assertEquals(List.of(0.0), analysis.thresholds().stream().map(Threshold::p).toList(),
                "all three tie at p = 0, which no band includes");
        assertTrue(analysis.warnings().stream().anyMatch(w -> w.startsWith(
                "abstaining is never strictly optimal: a wrong answer pays at least as much as abstaining")),
                analysis.warnings()::toString);
    }

    @Test
    void warnsWhenAbstainingAlwaysPays() {
        RewardAnalysis analysis = RewardAnalyzer.analyze("generous", new Payoffs(1, 0.5, 1.5, -1, -2));

        assertEquals(List.of(new Band(new Interval(0, true, 1, true), Set.of(Action.ABSTAIN))), analysis.bands());
        assertTrue(analysis.thresholds().isEmpty());
        assertTrue(analysis.warnings().contains("abstaining is optimal even for a model that is certain to be right"
                + " (p = 1): the scheme rewards always abstaining"), analysis.warnings()::toString);
        assertTrue(analysis.warnings().stream().anyMatch(w -> w.startsWith("answering is never strictly optimal")));
    }

    @Test
    void warnsAboutInvertedIncentives() {
        RewardAnalysis analysis = RewardAnalyzer.analyze("odd", new Payoffs(1, 1.2, 0, -5, -1));

        assertTrue(analysis.warnings().contains(
                "hedging a right answer pays more than stating it plainly: the scheme rewards underconfidence"));
        assertTrue(analysis.warnings().contains(
                "a hedged wrong answer costs more than a confident wrong one: the scheme rewards overconfidence"));
    }

    @Test
    void analysesTheTieredPartOfABuiltScheme() throws IOException {
        GuardedScheme scheme = RewardSchemeRegistry.builtIn().build(RewardConfig.load(
                Path.of("../configs/rewards/shaped.yaml")));

        RewardAnalysis analysis = RewardAnalyzer.analyze(scheme);

        Payoffs expected = Payoffs.zero().plus(0.8, Payoffs.CALIBRATION).plus(0.2, Payoffs.EXACT_MATCH);
        assertEquals(expected.correct(), analysis.payoffs().correct(), 1e-12);
        assertEquals(expected.incorrect(), analysis.payoffs().incorrect(), 1e-12);
        assertEquals(List.of("format (weight 0.1)", "length"), analysis.unmodeled());
    }

    @Test
    void refusesASchemeWithoutPayoffTable() {
        GuardedScheme brier = RewardSchemeRegistry.builtIn().build(
                RewardConfig.parse("reward: {scheme: brier}", "brier.yaml"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RewardAnalyzer.analyze(brier));
        assertTrue(e.getMessage().contains("'brier' has no payoff table"), e.getMessage());
    }

    @Test
    void reportShowsLinesBandsThresholdsAndWarnings() {
        String report = AnalysisReport.render(RewardAnalyzer.analyze("calibration", Payoffs.CALIBRATION));

        assertTrue(report.contains("  answer   E(p) = -4 + 5p\n"), report);
        assertTrue(report.contains("  hedge    E(p) = -2 + 2.5p\n"), report);
        assertTrue(report.contains("  abstain  E(p) = 0\n"), report);
        assertTrue(report.contains("  abstain  for p in [0, 0.8)\n"), report);
        assertTrue(report.contains("  answer   for p in (0.8, 1]\n"), report);
        assertTrue(report.contains("  p = 0.8: answer, hedge and abstain tie at E = 0\n"), report);
        assertTrue(report.contains("  - hedging is never strictly optimal"), report);
    }

    @Test
    void reportShowsThresholdsThatSixDigitsCannotHoldAsFractions() {
        String report = AnalysisReport.render(RewardAnalyzer.analyze("thirds", new Payoffs(1, 0.5, 0, -1, -4)));

        assertTrue(report.contains("  p = 0.666667 (2/3): hedge and abstain tie at E = 0\n"), report);
        assertTrue(report.contains("  p = 0.857143 (6/7): answer and hedge tie at E = 0.285714\n"), report);
        assertTrue(report.contains("  hedge    for p in (0.666667, 0.857143)\n"), report);
    }

    @Test
    void plotIsAPngOfTheRequestedSize(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("plots/calibration.png");

        RewardPlot.write(RewardAnalyzer.analyze("calibration", Payoffs.CALIBRATION), png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "readable as an image");
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        try (var files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList(), "no partial file left behind");
        }
    }
}
