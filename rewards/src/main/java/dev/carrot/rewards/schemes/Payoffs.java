package dev.carrot.rewards.schemes;

import dev.carrot.rewards.SchemeParams;
import dev.carrot.rewards.grading.Category;

/**
 * What a tiered scheme pays for each graded outcome. The reward analyzer and the evaluation read it to reason
 * about which behaviour a scheme makes optimal.
 */
public record Payoffs(double correct, double hedgedCorrect, double abstained, double hedgedIncorrect,
                      double incorrect) {

    /** The calibration scheme's defaults: 1 / 0.5 / 0 / −2 / −4. */
    public static final Payoffs CALIBRATION = new Payoffs(1.0, 0.5, 0.0, -2.0, -4.0);

    /** A pure outcome reward: 1 for a right answer, hedged or not, else 0. */
    public static final Payoffs EXACT_MATCH = new Payoffs(1.0, 1.0, 0.0, 0.0, 0.0);

    public Payoffs {
        for (double payoff : new double[] {correct, hedgedCorrect, abstained, hedgedIncorrect, incorrect}) {
            if (!Double.isFinite(payoff)) {
                throw new IllegalArgumentException("payoffs must be finite numbers, got " + payoff);
            }
        }
    }

    /**
     * Pays +1 for a right answer, 0 for abstaining and −t/(1−t) for a wrong one, hedged or not: answering then
     * has positive expected reward exactly when the probability of being right exceeds {@code t}.
     */
    public static Payoffs confidenceTarget(double t) {
        if (!(t >= 0 && t < 1)) {
            throw new IllegalArgumentException("the confidence target t must be in [0, 1), got " + t);
        }
        double wrong = -t / (1 - t);
        return new Payoffs(1.0, 1.0, 0.0, wrong, wrong);
    }

    /**
     * Reads the five tiers from scheme parameters ({@code correct}, {@code hedged_correct}, {@code abstained},
     * {@code hedged_incorrect}, {@code incorrect}), each defaulting to the tier in {@code defaults}.
     */
    public static Payoffs read(SchemeParams params, Payoffs defaults) {
        return new Payoffs(
                params.number("correct", defaults.correct()),
                params.number("hedged_correct", defaults.hedgedCorrect()),
                params.number("abstained", defaults.abstained()),
                params.number("hedged_incorrect", defaults.hedgedIncorrect()),
                params.number("incorrect", defaults.incorrect()));
    }

    /** The payoff for one outcome. */
    public double of(Category category) {
        return switch (category) {
            case CORRECT -> correct;
            case HEDGED_CORRECT -> hedgedCorrect;
            case ABSTAINED -> abstained;
            case HEDGED_INCORRECT -> hedgedIncorrect;
            case INCORRECT -> incorrect;
        };
    }

    /** Tier by tier: this + weight × other, which is what a weighted sum of tiered schemes pays. */
    public Payoffs plus(double weight, Payoffs other) {
        return new Payoffs(
                correct + weight * other.correct,
                hedgedCorrect + weight * other.hedgedCorrect,
                abstained + weight * other.abstained,
                hedgedIncorrect + weight * other.hedgedIncorrect,
                incorrect + weight * other.incorrect);
    }

    /** All zero: the neutral start of a sum. */
    public static Payoffs zero() {
        return new Payoffs(0, 0, 0, 0, 0);
    }
}
