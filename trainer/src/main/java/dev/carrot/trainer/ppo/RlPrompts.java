package dev.carrot.trainer.ppo;

import dev.carrot.evaluation.dataset.PromptRecord;
import java.util.List;

/**
 * What an RL run asks its policy: the prompt records, their prompts already in the policy's format, and the strings
 * at which a completion ends (besides end-of-sequence and the token limit).
 */
public record RlPrompts(List<PromptRecord> records, List<String> stop) {

    public RlPrompts {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the RL prompt set is empty");
        }
        records = List.copyOf(records);
        stop = List.copyOf(stop);
    }
}
