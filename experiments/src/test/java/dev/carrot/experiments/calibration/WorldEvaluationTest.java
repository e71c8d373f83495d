package dev.carrot.experiments.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.evaluation.Answer;
import dev.carrot.evaluation.AnswerSource;
import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.Evaluation;
import dev.carrot.evaluation.NamedReward;
import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.metrics.Optimality;
import dev.carrot.evaluation.metrics.Tally;
import dev.carrot.experiments.calibration.world.CalibrationWorld;
import dev.carrot.experiments.calibration.world.Split;
import dev.carrot.experiments.calibration.world.WorldConfig;
import dev.carrot.experiments.calibration.world.WorldGenerator;
import dev.carrot.experiments.calibration.world.WorldItem;
import dev.carrot.rewards.analysis.Action;
import dev.carrot.rewards.grading.ExactMatchGrader;
import dev.carrot.rewards.schemes.Payoffs;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The evaluation harness on the calibration world: a source that knows what the world taught is graded per tier. */
class WorldEvaluationTest {

    private static final double EPS = 1e-12;

    private final Evaluation evaluation = new Evaluation(new ExactMatchGrader(),
            new NamedReward("calibration", grade -> Payoffs.CALIBRATION.of(grade.category())),
            new Bootstrap(100, 0.95, 0));

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
}
