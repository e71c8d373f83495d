package dev.carrot.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carrot.policy.generate.Generation;
import java.util.List;

final class RolloutAssertions {

    private RolloutAssertions() {}

    /** One completion per prompt, in order, each the prompt's expected generation. */
    static void assertCompletions(List<String> prompts, List<Generation> expected, List<Completion> actual) {
        assertEquals(prompts.size(), actual.size(), "completions");
        for (int i = 0; i < prompts.size(); i++) {
            Completion c = actual.get(i);
            assertEquals(i, c.promptIndex());
            assertEquals(prompts.get(i), c.prompt());
            assertArrayEquals(TinyPolicy.TOKENIZER.encode(prompts.get(i), true), c.promptTokens(), "prompt " + i);
            assertArrayEquals(expected.get(i).tokens(), c.tokens(), "tokens of prompt " + i);
            assertArrayEquals(expected.get(i).logprobs(), c.logprobs(), "logprobs of prompt " + i);
            assertEquals(expected.get(i).text(), c.text(), "text of prompt " + i);
            assertEquals(expected.get(i).finishReason(), c.finishReason(), "finish of prompt " + i);
        }
    }
}
