package dev.carrot.examples.byo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carrot.rewards.RewardException;
import dev.carrot.rewards.Rollout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordBudgetProviderTest {

    private final WordBudgetProvider.WordBudget scheme = new WordBudgetProvider.WordBudget(0.25, 0.0);

    private double score(String completion, Object maxWords) {
        return scheme.score(new Rollout("Question: ?\nAnswer:", completion, new int[0], List.of(),
                Map.of("max_words", maxWords))).value();
    }

    @Test
    void paysAnswersWithinTheRecordsBudgetAndLessPerExtraWord() {
        assertEquals(1.0, score(" Jupiter.", 3));
        assertEquals(1.0, score(" It is Jupiter.", 3));
        assertEquals(0.5, score(" It is the planet Jupiter.", 3));
        assertEquals(0.0, score(" It is the largest planet, Jupiter, by far.", 3));
        assertEquals(0.0, score("   ", 3));
    }

    @Test
    void aRecordWithoutABudgetIsTheRecordsFault() {
        assertThrows(RewardException.class, () -> score(" Jupiter.", "three"));
    }
}
