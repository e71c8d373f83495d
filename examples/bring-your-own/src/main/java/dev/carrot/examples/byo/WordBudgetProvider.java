package dev.carrot.examples.byo;

import dev.carrot.rewards.PerRolloutScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardException;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.RewardSchemeProvider;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.SchemeParams;
import java.util.Map;

/**
 * {@code word-budget}: pays an answer for fitting in the number of words its record allows, read from the record's
 * {@code max_words} field (which Carrot hands over as rollout metadata). Not tiered: there is nothing to grade, only
 * a continuous reward: 1 for a non-empty answer of at most {@code max_words} words, less by {@code overrun} for
 * each word beyond, never below 0; an empty answer earns {@code empty}.
 */
public final class WordBudgetProvider implements RewardSchemeProvider {

    @Override
    public String name() {
        return "word-budget";
    }

    @Override
    public String description() {
        return "1 for an answer within the record's max_words words, less per extra word (parameters overrun 0.25,"
                + " empty 0)";
    }

    @Override
    public RewardScheme create(SchemeParams params) {
        double overrun = params.number("overrun", 0.25);
        double empty = params.number("empty", 0.0);
        if (!(overrun >= 0)) {
            throw params.invalid("overrun", "expected a non-negative number, got " + overrun);
        }
        return new WordBudget(overrun, empty);
    }

    /** The scheme itself: stateless, so thread-safe. */
    record WordBudget(double overrun, double empty) implements PerRolloutScheme {

        @Override
        public String name() {
            return "word-budget";
        }

        @Override
        public Reward score(Rollout rollout) {
            int budget = budget(rollout.metadata());
            String text = rollout.completion().strip();
            int words = text.isEmpty() ? 0 : text.split("\\s+").length;
            double value = words == 0 ? empty : Math.max(0, 1 - overrun * Math.max(0, words - budget));
            return new Reward(value, Map.of("budget", value), null);
        }

        private static int budget(Map<String, Object> metadata) {
            Object value = metadata.get("max_words");
            if (!(value instanceof Number n) || n.intValue() < 1) {
                throw new RewardException("word-budget: the record's max_words must be a positive integer, got "
                        + value);
            }
            return n.intValue();
        }
    }
}
