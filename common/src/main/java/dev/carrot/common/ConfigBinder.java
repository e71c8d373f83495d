package dev.carrot.common;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Binds a section of a YAML file onto an immutable config record, the one way every module reads job files. Fields
 * the file leaves out keep the value of a given default record, or, for records whose absent fields are null and
 * whose constructors derive the defaults (one default depending on another field), are left to the record; so files
 * only state what they change. Unknown fields and wrongly typed values are errors.
 * Records check their own invariants in their constructors by throwing {@link IllegalArgumentException}; this class
 * turns every failure into a {@link ConfigException} naming the file and the dotted field path.
 *
 * <p>YAML keys are the snake_case forms of the record components ({@code wellKnown} is {@code well_known}).
 */
public final class ConfigBinder {

    private static final ObjectMapper MAPPER = JsonMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // "12" for a number is almost always a quoting mistake; say so instead of guessing.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ConfigBinder() {}

    /** The mapper that reads and writes config records (snake_case keys, strict about types and unknown keys). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A path a job file names: a relative one starts at the job file's directory, so that a job runs the same from
     * any working directory; with no job file ({@code null}) the path is taken as it is.
     */
    public static Path resolve(Path jobFile, String path) {
        Path p = Path.of(path);
        Path base = jobFile == null ? null : jobFile.toAbsolutePath().getParent();
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }

    /** Reads a whole YAML file as a tree. */
    public static JsonNode readTree(Path file) {
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            return root == null || root.isMissingNode() ? MAPPER.createObjectNode() : root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new ConfigException(file + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getOriginalMessage()
                    + quotedLine(file, line));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: "
                    + (Files.exists(file) ? e.getMessage() : "no such file"));
        }
    }

    /** {@code key: .nan} or {@code key: -.inf}, YAML's non-finite numbers, which the parser refuses. */
    private static final Pattern NON_FINITE = Pattern.compile(
            "([A-Za-z_][\\w-]*):\\s*[+-]?\\.(?:nan|NaN|NAN|inf|Inf|INF)\\b");

    /** The offending line as the user wrote it, which names the key a parser error is about. */
    private static String quotedLine(Path file, int line) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (line < 1 || line > lines.size() || lines.get(line - 1).isBlank()) {
                return "";
            }
            String text = lines.get(line - 1).strip();
            Matcher nonFinite = NON_FINITE.matcher(text);
            if (!nonFinite.find()) {
                return " in \"" + text + "\"";
            }
            // A key that starts the line names itself; inside a {flow: mapping} say which one it is.
            return " in \"" + text + "\"; " + (nonFinite.start() == 0 ? "" : nonFinite.group(1) + ": ")
                    + "expected a finite number";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Binds {@code section} over {@code defaults}.
     *
     * @param section  the YAML node of the section; must be a mapping
     * @param defaults the values of fields the section leaves out
     * @param source   where the section comes from, for messages (usually the file)
     * @param path     the section's dotted path in that file, for messages (for example {@code world})
     */
    public static <T extends Record> T bind(JsonNode section, T defaults, Class<T> type, String source, String path) {
        requireMapping(section, source, path);
        ObjectNode merged = MAPPER.valueToTree(defaults);
        overlay(merged, (ObjectNode) section);
        return convert(merged, type, source, path);
    }

    /**
     * Binds {@code section} as written, an absent section ({@code null}) as an empty mapping: the record's
     * constructor supplies the defaults of the fields left out.
     */
    public static <T extends Record> T bind(JsonNode section, Class<T> type, String source, String path) {
        if (section == null || section.isNull()) {
            return convert(MAPPER.createObjectNode(), type, source, path);
        }
        requireMapping(section, source, path);
        return convert((ObjectNode) section, type, source, path);
    }

    private static void requireMapping(JsonNode section, String source, String path) {
        if (!section.isObject()) {
            throw new ConfigException(source + ": " + path + ": expected a mapping of fields, got "
                    + describe(section));
        }
    }

    private static <T> T convert(ObjectNode fields, Class<T> type, String source, String path) {
        requireKnownFields(fields, type, source, path);
        try {
            return MAPPER.treeToValue(fields, type);
        } catch (ValueInstantiationException e) {
            // A record's own validation; its message is "<component>: expected ..., got ...".
            String where = join(path, fieldPath(e.getPath()));
            Throwable cause = e.getCause();
            throw new ConfigException(source + ": " + (cause instanceof IllegalArgumentException
                    ? where + "." + cause.getMessage() : where + ": " + e.getOriginalMessage()));
        } catch (UnrecognizedPropertyException e) {
            Set<String> known = e.getKnownPropertyIds().stream().map(String::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new));
            List<JsonMappingException.Reference> parent = e.getPath().subList(0, e.getPath().size() - 1);
            throw new ConfigException(source + ": " + join(path, fieldPath(parent)) + ": "
                    + unknown("field", e.getPropertyName(), known, "expected one of"));
        } catch (JsonMappingException e) {
            JsonNode offending = fields.at(pointer(e.getPath()));
            throw new ConfigException(source + ": " + join(path, fieldPath(e.getPath())) + ": "
                    + explain(e, offending));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + path + ": " + e.getOriginalMessage());
        }
    }

    /**
     * Refuses a key the record does not have before the record is built: Jackson would otherwise let the record's
     * own validation speak first, and a misspelt required key ({@code trian:}) would read as a missing one.
     */
    private static void requireKnownFields(ObjectNode fields, Class<?> type, String source, String path) {
        if (!type.isRecord() || type.isAnnotationPresent(JsonDeserialize.class)) {
            return; // a record built through its builder: the builder meets an unknown key before anything is checked
        }
        // The names Jackson itself binds, after the naming strategy and @JsonProperty.
        Set<String> known = new TreeSet<>();
        MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(type)).findProperties()
                .forEach(property -> known.add(property.getName()));
        for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException(source + ": " + path + ": " + unknown("field", name, known, "expected one of"));
            }
        }
    }

    /**
     * Refuses top-level sections a job does not use: a misspelt section ({@code ppoo:}) would otherwise leave the job
     * on its defaults without a word.
     *
     * @param job what kind of job, for the message ("a calibration job")
     */
    public static void requireSections(JsonNode root, Set<String> sections, String source, String job) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!sections.contains(name)) {
                throw new ConfigException(source + ": " + unknown("section", name, new TreeSet<>(sections),
                        job + " has"));
            }
        }
    }

    /** "unknown field 'itrations' (did you mean 'iterations'?); expected one of a, b, c". */
    private static String unknown(String what, String name, Set<String> known, String listIntro) {
        LevenshteinDistance distance = new LevenshteinDistance(Math.max(2, name.length() / 3));
        String nearest = known.stream().filter(k -> distance.apply(name, k) >= 0)
                .min(Comparator.comparingInt((String k) -> distance.apply(name, k))).orElse(null);
        return "unknown " + what + " '" + name + "'" + (nearest == null ? "" : " (did you mean '" + nearest + "'?)")
                + "; " + listIntro + " " + String.join(", ", known);
    }

    /** Copies {@code top} onto {@code base}, descending into mappings both sides have so siblings survive. */
    private static void overlay(ObjectNode base, ObjectNode top) {
        for (Iterator<Map.Entry<String, JsonNode>> it = top.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = base.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                overlay((ObjectNode) existing, (ObjectNode) field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private static String fieldPath(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static JsonPointer pointer(List<JsonMappingException.Reference> path) {
        JsonPointer pointer = JsonPointer.empty();
        for (JsonMappingException.Reference ref : path) {
            pointer = ref.getFieldName() != null ? pointer.appendProperty(ref.getFieldName())
                    : pointer.appendIndex(ref.getIndex());
        }
        return pointer;
    }

    private static String explain(JsonMappingException e, JsonNode offending) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + typeName(mismatch.getTargetType())
                    + (offending.isMissingNode() ? "" : ", got " + describe(offending));
        }
        return e.getOriginalMessage();
    }

    private static String join(String path, String field) {
        return field.isEmpty() ? path : path + "." + field;
    }

    private static String typeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a mapping of fields (" + type.getSimpleName() + ")";
    }

    private static String describe(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        return node.isContainerNode() ? (node.isArray() ? "a list " : "a mapping ") + node : node.toString();
    }
}
