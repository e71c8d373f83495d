package dev.carrot.rewards;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One finished rollout, as a reward scheme sees it: the policy's internals stay out of it, so schemes need nothing
 * but this module.
 *
 * @param prompt           the text the policy was given
 * @param completion       the generated text after the prompt, end-of-sequence marker removed
 * @param completionTokens the generated token ids, in order; empty when the caller has no tokenizer at hand
 * @param references       the gold answer first, then its accepted aliases; empty when the task has none
 * @param metadata         free-form facts about the example (its id, its source, a difficulty), in insertion order;
 *                         values should be JSON-like (strings, numbers, booleans, lists, maps) so a remote scheme
 *                         can receive them
 */
public record Rollout(String prompt, String completion, int[] completionTokens, List<String> references,
                      Map<String, Object> metadata) {

    public Rollout {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        completionTokens = completionTokens.clone();
        references = List.copyOf(references);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A rollout without tokens or metadata, for scoring text alone. */
    public static Rollout of(String prompt, String completion, List<String> references) {
        return new Rollout(prompt, completion, new int[0], references, Map.of());
    }

    /** A copy of the token ids; use {@link #completionLength()} when only their number is needed. */
    @Override
    public int[] completionTokens() {
        return completionTokens.clone();
    }

    /** The number of generated tokens. */
    public int completionLength() {
        return completionTokens.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Rollout that
                && prompt.equals(that.prompt)
                && completion.equals(that.completion)
                && Arrays.equals(completionTokens, that.completionTokens)
                && references.equals(that.references)
                && metadata.equals(that.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prompt, completion, Arrays.hashCode(completionTokens), references, metadata);
    }

    @Override
    public String toString() {
        return "Rollout[prompt=" + prompt + ", completion=" + completion + ", completionTokens="
                + Arrays.toString(completionTokens) + ", references=" + references + ", metadata=" + metadata + "]";
    }
}
