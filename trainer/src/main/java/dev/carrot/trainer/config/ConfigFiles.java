package dev.carrot.trainer.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads sections of YAML job files into immutable config records. Unknown keys are errors (a typo must not silently
 * fall back to a default), and every error names the file and the dotted path of the field.
 */
public final class ConfigFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ConfigFiles() {}

    public static ObjectMapper yaml() {
        return YAML;
    }

    /** The whole file as a tree. */
    public static JsonNode readTree(Path file) {
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            if (root == null || !root.isObject()) {
                throw new ConfigException(file, "", "expected a YAML mapping at the top level");
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "", "no such file");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file, "", "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file, "", "cannot read: " + e.getMessage());
        }
    }

    /**
     * Binds {@code node} (the section {@code section} of {@code file}) to {@code type}; a missing section binds an
     * empty mapping, so every field takes its default.
     */
    public static <T> T bind(Path file, String section, JsonNode node, Class<T> type) {
        JsonNode source = node == null || node.isNull() ? YAML.createObjectNode() : node;
        try {
            return YAML.treeToValue(source, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known: " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(file, path(section, e), "unknown key '" + e.getPropertyName() + "'" + known);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : null;
            String message = cause != null ? cause.getMessage() : e.getOriginalMessage();
            throw new ConfigException(file, path(section, e), message);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file, section, e.getOriginalMessage());
        }
    }

    /** Reads the file and binds one top-level section. */
    public static <T> T read(Path file, String section, Class<T> type) {
        return bind(file, section, readTree(file).get(section), type);
    }

    private static String path(String section, JsonMappingException e) {
        StringBuilder path = new StringBuilder(section);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
