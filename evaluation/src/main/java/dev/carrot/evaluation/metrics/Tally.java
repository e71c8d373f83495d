package dev.carrot.evaluation.metrics;

import dev.carrot.rewards.grading.Style;

import java.util.List;

/**
 * The outcome counts of a group of graded items and the rates derived from them, in SimpleQA's terms: every item is
 * correct (C), incorrect (I) or not attempted (N). Correct and incorrect include hedged answers; incorrect includes
 * unparseable output, which the grading contract pays as a confident wrong answer; not attempted is an abstention.
 *
 * @param answered        completions that state an answer plainly, right or wrong
 * @param hedged          completions that state an answer with doubt, right or wrong
 * @param abstained       completions that decline to answer (N)
 * @param unparseable     completions in none of the formats; counted in {@link #incorrect()}
 * @param correct         stated answers, plain or hedged, that match a reference (C)
 * @param hedgedCorrect   the hedged ones among {@code correct}
 * @param rewardSum       the sum of rewards
 * @param oracleRewardSum the sum of oracle rewards
 */
public record Tally(int n, int answered, int hedged, int abstained, int unparseable, int correct, int hedgedCorrect,
                    double rewardSum, double oracleRewardSum) {

    public Tally {
        if (n < 1 || answered + hedged + abstained + unparseable != n || correct > answered + hedged
                || hedgedCorrect > Math.min(hedged, correct)) {
            throw new IllegalArgumentException("inconsistent counts: " + n + " items, " + answered + " answered, "
                    + hedged + " hedged, " + abstained + " abstained, " + unparseable + " unparseable, " + correct
                    + " correct, " + hedgedCorrect + " hedged correct");
        }
    }

    public static Tally of(List<GradedItem> items) {
        int answered = 0;
        int hedged = 0;
        int abstained = 0;
        int unparseable = 0;
        int correct = 0;
        int hedgedCorrect = 0;
        double rewardSum = 0;
        double oracleRewardSum = 0;
        for (GradedItem item : items) {
            switch (item.grade().style()) {
                case ANSWERED -> answered++;
                case HEDGED -> hedged++;
                case ABSTAINED -> abstained++;
                case UNPARSEABLE -> unparseable++;
            }
            if (item.grade().correct()) {
                correct++;
                if (item.grade().style() == Style.HEDGED) {
                    hedgedCorrect++;
                }
            }
            rewardSum += item.reward();
            oracleRewardSum += item.oracleReward();
        }
        return new Tally(items.size(), answered, hedged, abstained, unparseable, correct, hedgedCorrect, rewardSum,
                oracleRewardSum);
    }

    /** I: stated answers that are wrong, plus unparseable output. */
    public int incorrect() {
        return n - correct - abstained;
    }

    /** C + I: everything but abstentions. */
    public int attempted() {
        return n - abstained;
    }

    /** C / n. */
    public double accuracy() {
        return (double) correct / n;
    }

    /** I / n: the share of questions answered wrongly. */
    public double hallucinationRate() {
        return (double) incorrect() / n;
    }

    /** C / (C + I); NaN when nothing was attempted. */
    public double correctGivenAttempted() {
        return ratio(correct, attempted());
    }

    /** I / (C + I); NaN when nothing was attempted. */
    public double incorrectGivenAttempted() {
        return ratio(incorrect(), attempted());
    }

    /** SimpleQA's F-score: the harmonic mean of accuracy and correct-given-attempted; 0 without a correct answer. */
    public double fScore() {
        if (correct == 0) {
            return 0;
        }
        double accuracy = accuracy();
        double precision = correctGivenAttempted();
        return 2 * accuracy * precision / (accuracy + precision);
    }

    public double answerRate() {
        return (double) answered / n;
    }

    public double hedgeRate() {
        return (double) hedged / n;
    }

    /** N / n. */
    public double abstainRate() {
        return (double) abstained / n;
    }

    public double unparseableRate() {
        return (double) unparseable / n;
    }

    public double meanReward() {
        return rewardSum / n;
    }

    /** Mean reward over the oracle's mean reward; NaN unless the oracle's total is positive. */
    public double oracleRewardFraction() {
        return oracleRewardSum > 0 ? rewardSum / oracleRewardSum : Double.NaN;
    }

    /**
     * (C - t/(1-t) I) / n: the score under which answering pays only when the answer is right with probability above
     * {@code t}, since a wrong answer costs t/(1-t) correct ones and an abstention costs nothing.
     */
    public double penalisedScore(double threshold) {
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold: expected a value in [0, 1), got " + threshold);
        }
        return (correct - threshold / (1 - threshold) * incorrect()) / n;
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }
}
