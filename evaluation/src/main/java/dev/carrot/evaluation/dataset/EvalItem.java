package dev.carrot.evaluation.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A question to evaluate with its gold answer.
 *
 * @param id       unique within its dataset
 * @param aliases  other accepted answers, possibly none
 * @param tier     the group it is reported in, {@value #UNKNOWN_TIER} when the dataset has none
 * @param metadata any other fields of the source row, as text (for example SimpleQA's {@code metadata} column)
 */
public record EvalItem(String id, String question, String answer, List<String> aliases, String tier,
                       Map<String, String> metadata) {

    /** The tier of items whose dataset does not say. */
    public static final String UNKNOWN_TIER = "unknown";

    public EvalItem {
        requireText("id", id);
        requireText("question", question);
        requireText("answer", answer);
        requireText("tier", tier);
        aliases = List.copyOf(aliases);
        metadata = Map.copyOf(metadata);
    }

    /** The gold answer first, then its aliases: what a {@code Grader} matches against. */
    public List<String> references() {
        List<String> references = new ArrayList<>(aliases.size() + 1);
        references.add(answer);
        references.addAll(aliases);
        return references;
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": expected non-empty text");
        }
    }
}
