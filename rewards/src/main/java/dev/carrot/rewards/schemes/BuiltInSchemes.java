package dev.carrot.rewards.schemes;

import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.RewardSchemeProvider;
import dev.carrot.rewards.SchemeParams;
import dev.carrot.rewards.grading.ExactMatchGrader;

import java.util.List;
import java.util.function.Function;

/** The schemes every job can name, with their parameters and defaults. */
public final class BuiltInSchemes {

    private BuiltInSchemes() {}

    public static List<RewardSchemeProvider> providers() {
        return List.of(
                new BuiltIn("calibration",
                        "tiered payoffs by grade: correct 1, hedged_correct 0.5, abstained 0, hedged_incorrect -2,"
                                + " incorrect -4 (each a parameter)",
                        params -> new TieredScheme("calibration", Payoffs.read(params, Payoffs.CALIBRATION),
                                new ExactMatchGrader())),
                new BuiltIn("confidence-target",
                        "correct +1, abstained 0, incorrect -t/(1-t), hedged or not; answer only above"
                                + " confidence t (parameter t, default 0.75)",
                        BuiltInSchemes::confidenceTarget),
                new BuiltIn("exact-match",
                        "1 if the answer is correct (hedged or not), else 0: a pure outcome reward",
                        params -> new TieredScheme("exact-match", Payoffs.EXACT_MATCH, new ExactMatchGrader())),
                new BuiltIn("brier",
                        "1[correct] - (q - 1[correct])^2 for the stated 'Confidence: q'"
                                + " (parameter default_confidence, default 1)",
                        params -> scoringRule(ScoringRuleScheme.Rule.BRIER, params)),
                new BuiltIn("log-score",
                        "1[correct] + ln(q or 1-q) for the stated 'Confidence: q', floored at epsilon"
                                + " (parameters default_confidence 1, epsilon 0.01)",
                        params -> scoringRule(ScoringRuleScheme.Rule.LOG, params)),
                new BuiltIn("format",
                        "shaping: 1 when the completion is exactly one of the three answer forms, else 0",
                        params -> new FormatScheme()),
                new BuiltIn("length",
                        "shaping: -penalty per completion token beyond max_tokens (defaults 32 and 0.01)",
                        params -> new LengthScheme(params.integer("max_tokens", 32), params.number("penalty", 0.01))));
    }

    private static RewardScheme confidenceTarget(SchemeParams params) {
        double t = params.number("t", 0.75);
        if (!(t >= 0 && t < 1)) {
            throw params.invalid("t", "expected a confidence target in [0, 1), got " + t);
        }
        return new TieredScheme("confidence-target", Payoffs.confidenceTarget(t), new ExactMatchGrader());
    }

    private static RewardScheme scoringRule(ScoringRuleScheme.Rule rule, SchemeParams params) {
        double defaultConfidence = params.number("default_confidence", 1.0);
        double epsilon = rule == ScoringRuleScheme.Rule.LOG
                ? params.number("epsilon", ScoringRuleScheme.DEFAULT_EPSILON)
                : ScoringRuleScheme.DEFAULT_EPSILON;
        return new ScoringRuleScheme(rule, new ExactMatchGrader(), defaultConfidence, epsilon);
    }

    private record BuiltIn(String name, String description, Function<SchemeParams, RewardScheme> factory)
            implements RewardSchemeProvider {
        @Override
        public RewardScheme create(SchemeParams params) {
            return factory.apply(params);
        }
    }
}
