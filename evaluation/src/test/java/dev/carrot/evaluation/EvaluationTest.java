package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.metrics.GradedItem;
import dev.carrot.evaluation.metrics.OutcomeMetric;
import dev.carrot.evaluation.metrics.Tally;
import dev.carrot.rewards.analysis.Action;
import dev.carrot.rewards.grading.Category;
import dev.carrot.rewards.schemes.Payoffs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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
    void tiersAreReportedInTheOrderTheyFirstAppearInTheDataset() {
        Dataset dataset = new Dataset("tiers", List.of(
                item("a", "A", "zeta"), item("b", "B", "arithmetic_easy"), item("c", "C", "unseen"),
                item("d", "D", "alpha"), item("e", "E", "well_known")));
        EvalReport report = evaluation.run(dataset, items -> items.stream().map(i -> new Answer(" I don't know.", -1)).toList());
        assertEquals(List.of("zeta", "arithmetic_easy", "unseen", "alpha", "well_known"), List.copyOf(report.byTier().keySet()));
        report.byTier().values().forEach(group -> assertEquals(1, group.metrics().tally().n()));
        assertEquals(Bootstrap.HEADLINE.size(), report.overall().intervals().size());
    }

    @Test
    void answerCountMustMatch() {
        Dataset dataset = new Dataset("one", List.of(item("a", "A", "t")));
        assertThrows(IllegalArgumentException.class, () -> evaluation.report(dataset, List.of()));
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
