package dev.carrot.rewards.schemes;

import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.RewardSchemeRegistry;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.config.RewardConfig;
import dev.carrot.rewards.config.RewardConfigException;
import dev.carrot.rewards.grading.Category;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every built-in scheme, built from YAML as a job would build it. */
class BuiltInSchemesTest {

    private static final String RIGHT = "Paris.";
    private static final String HEDGED_RIGHT = "I think it is Paris, but I am not sure.";
    private static final String ABSTAIN = "I don't know.";
    private static final String HEDGED_WRONG = "I think it is Lyon, but I am not sure.";
    private static final String WRONG = "Lyon.";

    private static RewardScheme scheme(String yaml) {
        return RewardSchemeRegistry.builtIn().build(RewardConfig.parse(yaml, "test.yaml")).scheme();
    }

    private static List<Double> values(RewardScheme scheme, String... completions) {
        return scheme.score(List.of(completions).stream()
                        .map(completion -> Rollout.of("Capital of France?", completion, List.of("Paris")))
                        .toList())
                .stream().map(Reward::value).toList();
    }

    private static Reward one(RewardScheme scheme, String completion) {
        return scheme.score(List.of(Rollout.of("Capital of France?", completion, List.of("Paris")))).get(0);
    }

    @Test
    void calibrationPaysTheDefaultTiers() {
        RewardScheme calibration = scheme("reward: {scheme: calibration}");

        assertEquals(List.of(1.0, 0.5, 0.0, -2.0, -4.0, -4.0),
                values(calibration, RIGHT, HEDGED_RIGHT, ABSTAIN, HEDGED_WRONG, WRONG, ""));
        Reward reward = one(calibration, HEDGED_WRONG);
        assertEquals(Category.HEDGED_INCORRECT, reward.category());
        assertEquals(Map.of("calibration", -2.0), reward.components());
        assertEquals(Payoffs.CALIBRATION, assertInstanceOf(TieredScheme.class, calibration).payoffs());
    }

    @Test
    void calibrationTiersAreConfigurable() {
        RewardScheme calibration = scheme("""
                reward:
                  scheme: calibration
                  params: {correct: 2, hedged_correct: 1.5, abstained: -0.1, hedged_incorrect: -1, incorrect: -8}
                """);

        assertEquals(List.of(2.0, 1.5, -0.1, -1.0, -8.0),
                values(calibration, RIGHT, HEDGED_RIGHT, ABSTAIN, HEDGED_WRONG, WRONG));
    }

    @Test
    void calibrationRejectsBadParameters() {
        RewardConfigException wrongType = assertThrows(RewardConfigException.class,
                () -> RewardSchemeRegistry.builtIn().build(RewardConfig.parse(
                        "reward: {scheme: calibration, params: {correct: one}}", "calibration.yaml")));
        assertEquals("calibration.yaml: reward.params.correct: expected a number, got \"one\"",
                wrongType.getMessage());

        RewardConfigException typo = assertThrows(RewardConfigException.class,
                () -> scheme("reward: {scheme: calibration, params: {corect: 1}}"));
        assertEquals("test.yaml: reward.params.corect: unknown parameter of calibration (it takes abstained, correct,"
                + " hedged_correct, hedged_incorrect or incorrect)", typo.getMessage());
    }

    @Test
    void confidenceTargetPaysMinusTOverOneMinusTForWrongAnswers() {
        RewardScheme target = scheme("reward: {scheme: confidence-target, params: {t: 0.75}}");

        assertEquals(List.of(1.0, 1.0, 0.0, -3.0, -3.0),
                values(target, RIGHT, HEDGED_RIGHT, ABSTAIN, HEDGED_WRONG, WRONG));
        assertEquals(Payoffs.confidenceTarget(0.75), ((TieredScheme) target).payoffs());
        assertEquals(-1.0, values(scheme("reward: {scheme: confidence-target, params: {t: 0.5}}"), WRONG).get(0));
    }

    @Test
    void confidenceTargetRejectsATargetOfOne() {
        RewardConfigException e = assertThrows(RewardConfigException.class,
                () -> scheme("reward: {scheme: confidence-target, params: {t: 1}}"));
        assertEquals("test.yaml: reward.params.t: expected a confidence target in [0, 1), got 1.0", e.getMessage());
    }

    @Test
    void exactMatchIsAPureOutcomeReward() {
        RewardScheme exactMatch = scheme("reward: {scheme: exact-match}");

        assertEquals(List.of(1.0, 1.0, 0.0, 0.0, 0.0, 0.0),
                values(exactMatch, RIGHT, HEDGED_RIGHT, ABSTAIN, HEDGED_WRONG, WRONG, "?"));
    }

    @Test
    void brierPaysCorrectnessMinusSquaredError() {
        RewardScheme brier = scheme("reward: {scheme: brier}");

        List<Double> values = values(brier,
                "Paris. Confidence: 0.8", "Lyon. Confidence: 0.8", "Lyon.\nConfidence: 10%", RIGHT, WRONG, ABSTAIN, "");
        assertEquals(List.of(1 - 0.04, -0.64, -0.01, 1.0, -1.0, 0.0, -1.0), rounded(values));
        assertEquals(Category.CORRECT, one(brier, "Paris. Confidence: 0.8").category());
        assertEquals(List.of(1 - 0.25, -0.25), rounded(values(
                scheme("reward: {scheme: brier, params: {default_confidence: 0.5}}"), RIGHT, WRONG)));
    }

    @Test
    void logScorePaysCorrectnessPlusLogLikelihood() {
        RewardScheme log = scheme("reward: {scheme: log-score}");

        List<Double> values = values(log, "Paris. Confidence: 0.8", "Lyon. Confidence: 0.8", WRONG, ABSTAIN);
        assertEquals(1 + Math.log(0.8), values.get(0), 1e-12);
        assertEquals(Math.log(0.2), values.get(1), 1e-12);
        assertEquals(Math.log(0.01), values.get(2), 1e-12, "certainty floored at epsilon");
        assertEquals(0.0, values.get(3), 1e-12);
        assertEquals(Math.log(0.1), values(scheme("reward: {scheme: log-score, params: {epsilon: 0.1}}"), WRONG)
                .get(0), 1e-12);
    }

    @Test
    void formatPaysForTheExactFormsOnly() {
        RewardScheme format = scheme("reward: {scheme: format}");

        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0),
                values(format, RIGHT, HEDGED_WRONG, ABSTAIN, "Paris.<|endoftext|>", "Paris", "Paris.\nMore.",
                        "I think it is Paris.", ""));
        assertNull(one(format, RIGHT).category());
    }

    @Test
    void lengthPenalisesTokensBeyondTheAllowance() {
        RewardScheme length = scheme("reward: {scheme: length, params: {max_tokens: 4, penalty: 0.5}}");

        List<Double> values = length.score(List.of(tokens(3), tokens(4), tokens(7))).stream()
                .map(Reward::value).toList();
        assertEquals(List.of(0.0, 0.0, -1.5), values);
        assertEquals(-0.08, scheme("reward: {scheme: length}").score(List.of(tokens(40))).get(0).value(), 1e-12,
                "defaults: 32 free tokens, 0.01 per extra token");
    }

    @Test
    void lengthRejectsNegativeAllowance() {
        RewardConfigException e = assertThrows(RewardConfigException.class,
                () -> scheme("reward: {scheme: length, params: {max_tokens: -1}}"));
        assertEquals("test.yaml: reward.params: length: max_tokens must be >= 0, got -1", e.getMessage());
    }

    private static Rollout tokens(int n) {
        return new Rollout("q", "x", new int[n], List.of(), Map.of());
    }

    private static List<Double> rounded(List<Double> values) {
        return values.stream().map(x -> Math.round(x * 1e9) / 1e9).toList();
    }
}
