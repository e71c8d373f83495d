package dev.carrot.rewards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.rewards.grading.Category;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of rollouts and rewards: what a remote scheme receives and answers, and what
 * {@code carrot rewards score} reads and prints. Field names are snake_case so that endpoints in any language read
 * naturally.
 *
 * <pre>{@code
 * rollout: {"prompt": "...", "completion": "Paris.", "completion_tokens": [412, 13],
 *           "references": ["Paris"], "metadata": {"id": "q17"}}
 * reward:  1.0   or   {"value": 1.0, "components": {"calibration": 1.0}, "category": "correct"}
 * }</pre>
 *
 * NaN and Infinity are read as numbers (Python's json module writes them), so that the failure policy, not a parse
 * error, deals with them.
 */
public final class RewardJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private RewardJson() {}

    /** Parses JSON text. */
    public static JsonNode read(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /** Writes JSON text on one line. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }

    public static ObjectNode toJson(Rollout rollout) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("prompt", rollout.prompt());
        node.put("completion", rollout.completion());
        ArrayNode tokens = node.putArray("completion_tokens");
        Arrays.stream(rollout.completionTokens()).forEach(tokens::add);
        ArrayNode references = node.putArray("references");
        rollout.references().forEach(references::add);
        node.set("metadata", MAPPER.valueToTree(rollout.metadata()));
        return node;
    }

    /**
     * Reads a rollout; only {@code completion} is required.
     *
     * @throws IllegalArgumentException naming the field that is missing or of the wrong type
     */
    public static Rollout rollout(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a rollout object, got " + excerpt(node));
        }
        String prompt = node.has("prompt") ? text(node.get("prompt"), "prompt") : "";
        if (!node.has("completion")) {
            throw new IllegalArgumentException("completion: missing");
        }
        String completion = text(node.get("completion"), "completion");
        int[] tokens = new int[0];
        if (node.has("completion_tokens")) {
            JsonNode array = node.get("completion_tokens");
            if (!array.isArray()) {
                throw new IllegalArgumentException("completion_tokens: expected a list of integers");
            }
            tokens = new int[array.size()];
            for (int i = 0; i < tokens.length; i++) {
                if (!array.get(i).canConvertToInt() || !array.get(i).isIntegralNumber()) {
                    throw new IllegalArgumentException("completion_tokens[" + i + "]: expected an integer, got "
                            + excerpt(array.get(i)));
                }
                tokens[i] = array.get(i).intValue();
            }
        }
        List<String> references = new ArrayList<>();
        if (node.has("references")) {
            JsonNode array = node.get("references");
            if (!array.isArray()) {
                throw new IllegalArgumentException("references: expected a list of strings");
            }
            for (int i = 0; i < array.size(); i++) {
                references.add(text(array.get(i), "references[" + i + "]"));
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (node.has("metadata")) {
            JsonNode given = node.get("metadata");
            if (!given.isObject()) {
                throw new IllegalArgumentException("metadata: expected an object, got " + excerpt(given));
            }
            given.properties().forEach(
                    field -> metadata.put(field.getKey(), MAPPER.convertValue(field.getValue(), Object.class)));
        }
        return new Rollout(prompt, completion, tokens, references, metadata);
    }

    public static ObjectNode toJson(Reward reward) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("value", reward.value());
        ObjectNode components = node.putObject("components");
        reward.components().forEach(components::put);
        if (reward.category() != null) {
            node.put("category", reward.category().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    /**
     * Reads a reward: a bare number (which becomes a single component named {@code component}) or an object with a
     * numeric {@code value} and optional {@code components} and {@code category}.
     *
     * @throws IllegalArgumentException saying what was expected and what came instead
     */
    public static Reward reward(JsonNode node, String component) {
        if (node.isNumber()) {
            return Reward.of(component, node.doubleValue(), null);
        }
        if (!node.isObject() || !node.has("value") || !node.get("value").isNumber()) {
            throw new IllegalArgumentException("expected a number or {\"value\": number, ...}, got " + excerpt(node));
        }
        double value = node.get("value").doubleValue();
        Map<String, Double> components = new LinkedHashMap<>();
        if (node.has("components")) {
            JsonNode given = node.get("components");
            if (!given.isObject()) {
                throw new IllegalArgumentException("components: expected an object of numbers, got " + excerpt(given));
            }
            for (Map.Entry<String, JsonNode> field : given.properties()) {
                if (!field.getValue().isNumber()) {
                    throw new IllegalArgumentException("components." + field.getKey() + ": expected a number, got "
                            + excerpt(field.getValue()));
                }
                components.put(field.getKey(), field.getValue().doubleValue());
            }
        } else {
            components.put(component, value);
        }
        Category category = node.has("category") && !node.get("category").isNull()
                ? category(node.get("category"))
                : null;
        return new Reward(value, components, category);
    }

    /** The start of a JSON value, for error messages. */
    public static String excerpt(JsonNode node) {
        return excerpt(write(node));
    }

    /** The start of a text, for error messages. */
    public static String excerpt(String text) {
        String oneLine = text.strip().replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "..." : oneLine;
    }

    private static Category category(JsonNode node) {
        String name = node.isTextual() ? node.asText().toUpperCase(Locale.ROOT).replace('-', '_') : "";
        for (Category category : Category.values()) {
            if (category.name().equals(name)) {
                return category;
            }
        }
        throw new IllegalArgumentException("category: expected one of "
                + Arrays.stream(Category.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()
                + ", got " + excerpt(node));
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + ": expected a string, got " + excerpt(node));
        }
        return node.asText();
    }
}
