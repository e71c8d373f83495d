package dev.carrot.rewards.analysis;

import dev.carrot.rewards.grading.Style;
import dev.carrot.rewards.schemes.Payoffs;

import java.util.Locale;
import java.util.Optional;

/** What a model can do with a question: answer plainly, answer with a hedge, or abstain. */
public enum Action {
    ANSWER,
    HEDGE,
    ABSTAIN;

    /** The action a completion of this style took; none for unparseable output, which took no action. */
    public static Optional<Action> of(Style style) {
        return switch (style) {
            case ANSWERED -> Optional.of(ANSWER);
            case HEDGED -> Optional.of(HEDGE);
            case ABSTAINED -> Optional.of(ABSTAIN);
            case UNPARSEABLE -> Optional.empty();
        };
    }

    /** What this action is paid when the answer it would give is right. */
    public double payoffIfRight(Payoffs payoffs) {
        return switch (this) {
            case ANSWER -> payoffs.correct();
            case HEDGE -> payoffs.hedgedCorrect();
            case ABSTAIN -> payoffs.abstained();
        };
    }

    /** What this action is paid when the answer it would give is wrong. */
    public double payoffIfWrong(Payoffs payoffs) {
        return switch (this) {
            case ANSWER -> payoffs.incorrect();
            case HEDGE -> payoffs.hedgedIncorrect();
            case ABSTAIN -> payoffs.abstained();
        };
    }

    /** The expected reward when the answer would be right with probability {@code p}: linear in p. */
    public double expectedReward(Payoffs payoffs, double p) {
        return p * payoffIfRight(payoffs) + (1 - p) * payoffIfWrong(payoffs);
    }

    /** "answer", "hedge", "abstain". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "answering", "hedging", "abstaining": the action as a subject in a sentence. */
    public String gerund() {
        return switch (this) {
            case ANSWER -> "answering";
            case HEDGE -> "hedging";
            case ABSTAIN -> "abstaining";
        };
    }
}
