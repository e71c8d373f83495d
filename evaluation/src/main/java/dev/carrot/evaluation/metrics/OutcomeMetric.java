package dev.carrot.evaluation.metrics;

import java.util.function.ToDoubleFunction;

/** The metrics computed from a group's outcome counts: each with its report key and meaning. */
public enum OutcomeMetric implements NumericMetric {
    N("n", true, "Items in the group.", Tally::n),
    CORRECT("correct", true, "C: stated answers, plain or hedged, that match the gold answer or an alias.",
            Tally::correct),
    INCORRECT("incorrect", true, "I: stated answers, plain or hedged, that match no reference, plus unparseable "
            + "output.",
            Tally::incorrect),
    NOT_ATTEMPTED("not_attempted", true, "N: abstentions (\"I don't know.\").", Tally::abstained),
    ANSWERED("answered", true, "Completions stating an answer plainly, right or wrong.", Tally::answered),
    HEDGED("hedged", true, "Completions stating an answer with doubt (\"I think it is X, but I am not sure.\"), "
            + "right or wrong.", Tally::hedged),
    HEDGED_CORRECT("hedged_correct", true, "Hedged completions whose answer is correct.", Tally::hedgedCorrect),
    UNPARSEABLE("unparseable", true, "Completions in none of the three formats; counted as incorrect.",
            Tally::unparseable),
    ACCURACY("accuracy", false, "C / n.", Tally::accuracy),
    HALLUCINATION_RATE("hallucination_rate", false, "I / n: the share of questions answered wrongly.",
            Tally::hallucinationRate),
    INCORRECT_GIVEN_ATTEMPTED("incorrect_given_attempted", false, "I / (C + I): how often a stated answer is wrong.",
            Tally::incorrectGivenAttempted),
    CORRECT_GIVEN_ATTEMPTED("correct_given_attempted", false, "C / (C + I): how often a stated answer is right.",
            Tally::correctGivenAttempted),
    F_SCORE("f_score", false, "Harmonic mean of accuracy and correct_given_attempted (SimpleQA's F-score).",
            Tally::fScore),
    ANSWER_RATE("answer_rate", false, "Plain answers / n.", Tally::answerRate),
    HEDGE_RATE("hedge_rate", false, "Hedged answers / n.", Tally::hedgeRate),
    ABSTAIN_RATE("abstain_rate", false, "N / n. answer_rate + hedge_rate + abstain_rate + unparseable_rate = 1.",
            Tally::abstainRate),
    UNPARSEABLE_RATE("unparseable_rate", false, "Unparseable completions / n.", Tally::unparseableRate),
    MEAN_REWARD("mean_reward", false, "Mean reward per item under the report's reward scheme.", Tally::meanReward),
    ORACLE_REWARD_FRACTION("oracle_reward_fraction", false, "Total reward over the total reward of an oracle that "
            + "answers plainly exactly the items this model got right and abstains on the rest; undefined (null) "
            + "unless the oracle's total is positive.", Tally::oracleRewardFraction),
    PENALISED_SCORE_T50("penalised_score_t50", false, "(C - t/(1-t) I) / n at t = 0.5: a wrong answer costs one right "
            + "one; answering pays when the answer is right with probability above t.",
            tally -> tally.penalisedScore(0.5)),
    PENALISED_SCORE_T75("penalised_score_t75", false, "The same at t = 0.75: a wrong answer costs three right ones.",
            tally -> tally.penalisedScore(0.75)),
    PENALISED_SCORE_T90("penalised_score_t90", false, "The same at t = 0.9: a wrong answer costs nine right ones.",
            tally -> tally.penalisedScore(0.9));

    private final String key;
    private final boolean count;
    private final String meaning;
    private final ToDoubleFunction<Tally> value;

    OutcomeMetric(String key, boolean count, String meaning, ToDoubleFunction<Tally> value) {
        this.key = key;
        this.count = count;
        this.meaning = meaning;
        this.value = value;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean count() {
        return count;
    }

    @Override
    public String meaning() {
        return meaning;
    }

    public double of(Tally tally) {
        return value.applyAsDouble(tally);
    }

    @Override
    public double of(GroupMetrics group) {
        return of(group.tally());
    }
}
