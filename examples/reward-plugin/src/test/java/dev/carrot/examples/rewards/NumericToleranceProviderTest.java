package dev.carrot.examples.rewards;

import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.SchemeParams;
import dev.carrot.rewards.grading.Category;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A plugin is tested like any code: build the scheme from parameters and score rollouts. */
class NumericToleranceProviderTest {

    private final RewardScheme scheme =
            new NumericToleranceProvider().create(SchemeParams.of(Map.of("tolerance", 0.01)));

    private Reward score(String completion, String reference) {
        return scheme.score(List.of(Rollout.of("What is pi to five digits?", completion, List.of(reference)))).get(0);
    }

    @Test
    void numbersWithinToleranceAreRight() {
        assertEquals(Category.CORRECT, score("3.1416.", "3.14159").category());
        assertEquals(Category.HEDGED_CORRECT, score("I think it is 3.14, but I am not sure.", "3.14159").category());
        assertEquals(Category.CORRECT, score("1,000.", "1005").category());
    }

    @Test
    void numbersOutsideToleranceAreWrong() {
        assertEquals(Category.INCORRECT, score("3.0.", "3.14159").category());
        assertEquals(-4.0, score("3.0.", "3.14159").value());
    }

    @Test
    void otherAnswersFallBackToExactMatch() {
        assertEquals(Category.CORRECT, score("Pi.", "pi").category());
        assertEquals(Category.ABSTAINED, score("I don't know.", "3.14159").category());
    }
}
