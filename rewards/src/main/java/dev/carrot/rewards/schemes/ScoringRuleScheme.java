package dev.carrot.rewards.schemes;

import dev.carrot.rewards.PerRolloutScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.grading.ConfidenceStatement;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Grader;

import java.util.Objects;
import java.util.Optional;

/**
 * Pays for correctness and for an honest stated confidence: 1[correct] plus a proper scoring rule of the
 * confidence q the completion states ({@link ConfidenceStatement}, "Confidence: 0.8"). A proper rule is maximised
 * in expectation by stating one's true probability of being right, so the policy gains nothing by over- or
 * under-stating q.
 *
 * <p>An abstention claims nothing and counts as q = 0 (it earns 0 under both rules); an unparseable completion is
 * paid as a confident wrong answer, q = 1; an answer that states no confidence is taken to mean
 * {@code defaultConfidence}.
 */
public final class ScoringRuleScheme implements PerRolloutScheme {

    /** A proper scoring rule, as the penalty added to 1[correct]. */
    public enum Rule {
        /** −(q − 1[correct])², in [−1, 0]. */
        BRIER("brier"),
        /** ln(q) if correct, ln(1 − q) if not, with the probability floored at epsilon to stay finite. */
        LOG("log-score");

        private final String schemeName;

        Rule(String schemeName) {
            this.schemeName = schemeName;
        }

        public String schemeName() {
            return schemeName;
        }
    }

    /** The log rule's default floor: a certain wrong answer scores ln 0.01 ≈ −4.6. */
    public static final double DEFAULT_EPSILON = 0.01;

    private final Rule rule;
    private final Grader grader;
    private final double defaultConfidence;
    private final double epsilon;

    /**
     * @param defaultConfidence the q of an answer that states none, in [0, 1]
     * @param epsilon           the log rule's floor on the probability it takes the log of, in (0, 0.5); the Brier
     *                          rule is bounded and ignores it
     */
    public ScoringRuleScheme(Rule rule, Grader grader, double defaultConfidence, double epsilon) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.grader = Objects.requireNonNull(grader, "grader");
        if (!(defaultConfidence >= 0 && defaultConfidence <= 1)) {
            throw new IllegalArgumentException("default_confidence must be in [0, 1], got " + defaultConfidence);
        }
        if (!(epsilon > 0 && epsilon < 0.5)) {
            throw new IllegalArgumentException("epsilon must be in (0, 0.5), got " + epsilon);
        }
        this.defaultConfidence = defaultConfidence;
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return rule.schemeName();
    }

    @Override
    public Reward score(Rollout rollout) {
        Optional<ConfidenceStatement> statement = ConfidenceStatement.find(rollout.completion());
        String answer = statement.map(ConfidenceStatement::remainder).orElse(rollout.completion());
        Grade grade = grader.grade(answer, rollout.references());
        double q = switch (grade.style()) {
            case ABSTAINED -> 0.0;
            case UNPARSEABLE -> 1.0;
            case ANSWERED, HEDGED -> statement.map(ConfidenceStatement::confidence).orElse(defaultConfidence);
        };
        double outcome = grade.correct() ? 1.0 : 0.0;
        double penalty = switch (rule) {
            case BRIER -> -(q - outcome) * (q - outcome);
            case LOG -> Math.log(Math.max(epsilon, grade.correct() ? q : 1 - q));
        };
        return Reward.of(name(), outcome + penalty, grade.category());
    }
}
