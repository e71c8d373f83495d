package dev.carrot.evaluation.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.evaluation.io.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one JSON object per line: {@code {"question", "answer", "aliases"?, "tier"?, "id"?}}. The answer may be a
 * string or a number; every other field except {@code prompt} is kept in {@link EvalItem#metadata()} (as text;
 * arrays and objects as JSON).
 * Blank lines are skipped. The calibration world's {@code eval.jsonl} is read this way.
 */
final class JsonlDatasetReader {

    /** Read into their own fields; "prompt" is what the world stores for trainers, and answer sources rebuild it. */
    private static final Set<String> KNOWN = Set.of("id", "question", "answer", "aliases", "tier", "prompt");

    private JsonlDatasetReader() {}

    static Dataset read(Path file, String text) {
        DatasetBuilder dataset = new DatasetBuilder(file);
        String[] lines = text.split("\r?\n", -1);
        for (int index = 0; index < lines.length; index++) {
            int line = index + 1;
            if (lines[index].isBlank()) {
                continue;
            }
            try {
                dataset.add(line, item(Json.MAPPER.readTree(lines[index]), line));
            } catch (JsonProcessingException e) {
                dataset.problem(line, "not valid JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                dataset.problem(line, e.getMessage());
            }
        }
        return dataset.build();
    }

    private static EvalItem item(JsonNode row, int line) {
        if (!row.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got "
                    + row.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String question = text(row, "question", true);
        String answer = text(row, "answer", true);
        String id = text(row, "id", false);
        String tier = text(row, "tier", false);
        List<String> aliases = new ArrayList<>();
        JsonNode aliasNode = row.get("aliases");
        if (aliasNode != null && !aliasNode.isNull()) {
            if (!aliasNode.isArray()) {
                throw new IllegalArgumentException("aliases: expected an array of strings");
            }
            for (JsonNode alias : aliasNode) {
                if (!alias.isTextual() && !alias.isNumber()) {
                    throw new IllegalArgumentException("aliases: expected an array of strings, found " + alias);
                }
                aliases.add(alias.asText().trim());
            }
        }
        Map<String, String> metadata = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = row.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!KNOWN.contains(field.getKey())) {
                JsonNode value = field.getValue();
                metadata.put(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
            }
        }
        return new EvalItem(id == null ? DatasetBuilder.defaultId(line) : id, question, answer, aliases,
                tier == null ? EvalItem.UNKNOWN_TIER : tier, metadata);
    }

    /** A string (or number) field, trimmed; null when absent and optional. */
    private static String text(JsonNode row, String field, boolean required) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing field '" + field + "'");
            }
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new IllegalArgumentException(field + ": expected a string, got " + value);
        }
        String text = value.asText().trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(field + ": expected non-empty text");
        }
        return text;
    }
}
