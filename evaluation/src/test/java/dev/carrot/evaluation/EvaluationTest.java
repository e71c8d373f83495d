package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.metrics.GradedItem;
import dev.carrot.evaluation.metrics.Optimality;
import dev.carrot.evaluation.metrics.OutcomeMetric;
import dev.carrot.evaluation.metrics.Tally;
import dev.carrot.evaluation.world.CalibrationWorld;
import dev.carrot.evaluation.world.Split;
import dev.carrot.evaluation.world.WorldConfig;
import dev.carrot.evaluation.world.WorldGenerator;
import dev.carrot.evaluation.world.WorldItem;
import dev.carrot.rewards.analysis.Action;
import dev.carrot.rewards.grading.Category;
import dev.carrot.rewards.schemes.Payoffs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {

    private static final double EPS = 1e-12;

    static final NamedReward FLAGSHIP = FlagshipReward.FLAGSHIP;

    private final Evaluation evaluation = new Evaluation(new ExactFormatGrader(), FLAGSHIP, new Bootstrap(100, 0.95, 0));

    @Test
    void gradesEveryStyleAndPaysTheOracleWhatItKnew() {
        Dataset dataset = new Dataset("hand", List.of(
                item("a", "Tolmar", "well_known"),
                item("b", "Brenna", "well_known"),
                item("c", "Ostic", "rare"),
                item("d", "1842", "unseen"),
                item("e", "68", "arithmetic_easy")));
        EvalReport report = evaluation.report(dataset, List.of(
                new Answer(" Tolmar.", Math.log(0.9)),
                new Answer(" I think it is Brenna, but I am not sure.", Math.log(0.4)),
                new Answer(" I think it is Veshic, but I am not sure.", Math.log(0.3)),
                new Answer(" I don't know.", Math.log(0.7)),
                Answer.withoutProbability("sixty-eight, I believe")));

        List<GradedItem> items = report.items();
        assertEquals(List.of(1.0, 0.5, -2.0, 0.0, -4.0), items.stream().map(GradedItem::reward).toList());
        // The oracle answers plainly where the model was right (a, b) and abstains elsewhere.
        assertEquals(List.of(1.0, 1.0, 0.0, 0.0, 0.0), items.stream().map(GradedItem::oracleReward).toList());
        assertEquals(0.9, items.get(0).confidence(), EPS);
        assertTrue(Double.isNaN(items.get(4).confidence()));

        Tally overall = report.overall().metrics().tally();
        assertEquals(new Tally(5, 1, 2, 1, 1, 2, 1, -4.5, 2), overall);
        assertEquals(-4.5 / 2, OutcomeMetric.ORACLE_REWARD_FRACTION.of(overall), EPS);
        // Calibrated: the three attempted answers with a confidence (a, b, c).
        assertEquals(3, report.overall().metrics().calibration().n());
    }

    @Test
    void tiersAreReportedInTheWorldsOrderThenByName() {
        Dataset dataset = new Dataset("tiers", List.of(
                item("a", "A", "zeta"), item("b", "B", "arithmetic_easy"), item("c", "C", "unseen"),
                item("d", "D", "alpha"), item("e", "E", "well_known")));
        EvalReport report = evaluation.run(dataset, items -> items.stream().map(i -> new Answer(" I don't know.", -1)).toList());
        assertEquals(List.of("well_known", "unseen", "arithmetic_easy", "alpha", "zeta"), List.copyOf(report.byTier().keySet()));
        report.byTier().values().forEach(group -> assertEquals(1, group.metrics().tally().n()));
        assertEquals(Bootstrap.HEADLINE.size(), report.overall().intervals().size());
    }

    @Test
    void answerCountMustMatch() {
        Dataset dataset = new Dataset("one", List.of(item("a", "A", "t")));
        assertThrows(IllegalArgumentException.class, () -> evaluation.report(dataset, List.of()));
    }

    @Test
    void aSourceThatKnowsExactlyWhatTheWorldTaughtIsPerfectlyBehavedPerTier() {
        CalibrationWorld world = WorldGenerator.generate(WorldConfig.smoke());
        Map<String, WorldItem> truth = world.items(Split.EVAL).stream()
                .collect(Collectors.toMap(WorldItem::id, item -> item));
        Dataset dataset = new Dataset("eval", world.items(Split.EVAL).stream().map(WorldItem::evalItem).toList());
        // Answers what the corpus states or teaches, hedges what it states once, abstains on the rest.
        AnswerSource knowing = items -> items.stream().map(item -> switch (truth.get(item.id()).tier()) {
            case WELL_KNOWN, ARITHMETIC_EASY -> new Answer(" " + item.answer() + ".", Math.log(0.95));
            case RARE -> new Answer(" I think it is " + item.answer() + ", but I am not sure.", Math.log(0.6));
            case UNSEEN, ARITHMETIC_HARD -> new Answer(" I don't know.", Math.log(0.9));
        }).toList();
        EvalReport report = evaluation.run(dataset, knowing);
        Tally wellKnown = report.byTier().get("well_known").metrics().tally();
        assertEquals(1, wellKnown.accuracy(), EPS);
        assertEquals(1, wellKnown.answerRate(), EPS);
        assertEquals(1, report.byTier().get("rare").metrics().tally().hedgeRate(), EPS);
        assertEquals(1, report.byTier().get("unseen").metrics().tally().abstainRate(), EPS);
        Tally overall = report.overall().metrics().tally();
        assertEquals(0, overall.hallucinationRate(), EPS);
        // Hedging its right rare answers earns half of what the oracle earns on them by answering plainly.
        long rare = report.byTier().get("rare").metrics().tally().n();
        long plain = wellKnown.n() + report.byTier().get("arithmetic_easy").metrics().tally().n();
        assertEquals((plain + 0.5 * rare) / (plain + rare), overall.oracleRewardFraction(), EPS);

        // Its answers are all right (p = 1), where the flagship scheme pays answering plainly more than hedging: the
        // well-known answers are optimal, the rare hedges are not, and the unseen tier, never attempted, has no p.
        assertEquals(1, report.byTier().get("well_known").metrics().optimality().optimalActionRate(), EPS);
        Optimality rareOptimality = report.byTier().get("rare").metrics().optimality();
        assertEquals(Optional.of(Action.ANSWER), rareOptimality.optimalAction());
        assertEquals(0, rareOptimality.optimalActionRate(), EPS);
        Optimality unseen = report.byTier().get("unseen").metrics().optimality();
        assertTrue(Double.isNaN(unseen.measuredP()));
        assertEquals(Optional.empty(), unseen.optimalAction());
        // Overall p = 1 too, so only the plain answers (well_known and arithmetic_easy) are optimal.
        assertEquals((double) plain / overall.n(), report.overall().metrics().optimality().optimalActionRate(), EPS);
    }

    @Test
    void theRewardIsReadAsAPayoffTableAndAnalysed() {
        assertEquals(Payoffs.CALIBRATION, FLAGSHIP.payoffs());
        assertEquals(Action.ANSWER, FLAGSHIP.analysis().optimalAction(0.9));
        assertEquals(-4.0, FLAGSHIP.byCategory().get(Category.INCORRECT));
        NamedReward broken = new NamedReward("broken", grade -> grade.attempted() ? 1 : Double.NaN);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new Evaluation(new ExactFormatGrader(), broken, Bootstrap.standard()));
        assertEquals("reward 'broken' pays NaN for abstained: expected a finite number", error.getMessage());
    }

    private static EvalItem item(String id, String answer, String tier) {
        return new EvalItem(id, "Question " + id + "?", answer, List.of(), tier, Map.of());
    }
}
