package dev.carrot.evaluation.dataset;

import dev.carrot.rewards.Rollout;
import dev.carrot.rollout.Completion;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record of a user's prompt dataset: what the policy is asked, the references a reward may compare its answer
 * with, and every other field of the record, which reaches the reward as {@code Rollout.metadata} unchanged.
 *
 * @param id         the record's {@code id}, or {@code line-N} (its line in the file) when it has none
 * @param prompt     the record's {@code prompt} (or {@code question}) as written, before any prompt template
 * @param references the gold answer first, then accepted alternatives; empty when the record has none
 * @param metadata   every other field with its JSON value (text, number, boolean, list, map or null), in file order
 */
public record PromptRecord(String id, String prompt, List<String> references, Map<String, Object> metadata) {

    public PromptRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        references = List.copyOf(references);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** What a reward scheme sees of {@code completion}, this record's answer: its references and metadata with it. */
    public Rollout rollout(Completion completion) {
        return new Rollout(completion.prompt(), completion.text(), completion.tokens(), references, metadata);
    }

    /** This record asking {@code text} instead: its prompt after a template was applied. */
    public PromptRecord withPrompt(String text) {
        return new PromptRecord(id, text, references, metadata);
    }
}
