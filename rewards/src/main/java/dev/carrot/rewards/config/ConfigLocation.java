package dev.carrot.rewards.config;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A place in a configuration file, such as {@code reward.sum[1].weight} in {@code job.yaml}, and the typed reads of
 * the value found there. Every read fails with a {@link RewardConfigException} that names this place and says what
 * was expected and what was found.
 *
 * <p>Values are the plain Java tree a YAML document reads into: {@code Map<String, Object>}, {@code List<Object>},
 * {@code String}, {@code Long}/{@code BigInteger}/{@code Double}, {@code Boolean}, and null for an empty value.
 *
 * @param source the file (or other origin) the configuration came from, as the user named it
 * @param path   the dotted path to the value within it; empty for the document itself
 */
public record ConfigLocation(String source, String path) {

    /** The place of a configuration built in code rather than read from a file. */
    public static ConfigLocation inCode() {
        return new ConfigLocation("<code>", "");
    }

    /** The place of {@code key} in the mapping found here. */
    public ConfigLocation field(String key) {
        return new ConfigLocation(source, path.isEmpty() ? key : path + "." + key);
    }

    /** The place of the {@code index}-th item of the list found here. */
    public ConfigLocation item(int index) {
        return new ConfigLocation(source, path + "[" + index + "]");
    }

    /** An error about the value found here. */
    public RewardConfigException error(String message) {
        return new RewardConfigException(source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> mapping(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw error("expected a mapping, got " + describe(value));
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(Object value) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw error("expected a list, got " + describe(value));
    }

    public String text(Object value) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        throw error("expected a non-empty string, got " + describe(value));
    }

    public double number(Object value) {
        if (value instanceof Number number && !(value instanceof BigInteger)) {
            double x = number.doubleValue();
            if (Double.isFinite(x)) {
                return x;
            }
        }
        throw error("expected a number, got " + describe(value));
    }

    public int integer(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            long x = ((Number) value).longValue();
            if (x == (int) x) {
                return (int) x;
            }
        }
        throw error("expected an integer, got " + describe(value));
    }

    public boolean flag(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw error("expected true or false, got " + describe(value));
    }

    /** Rejects keys of {@code mapping} (found here) outside {@code known}, naming the first one and the known ones. */
    public void requireOnly(Map<String, Object> mapping, Set<String> known) {
        for (String key : mapping.keySet()) {
            if (!known.contains(key)) {
                throw field(key).error("unknown key (expected " + oneOf(known) + ")");
            }
        }
    }

    /** "a, b or c", sorted, for messages that list the accepted choices. */
    public static String oneOf(Set<String> choices) {
        List<String> sorted = List.copyOf(new TreeSet<>(choices));
        if (sorted.size() == 1) {
            return sorted.get(0);
        }
        return String.join(", ", sorted.subList(0, sorted.size() - 1)) + " or " + sorted.get(sorted.size() - 1);
    }

    /** How a value reads in an error message: strings quoted, numbers as written, containers by kind. */
    public static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String text) {
            return '"' + text + '"';
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return value.toString();
    }
}
