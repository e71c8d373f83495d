package dev.carrot.evaluation.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/** The JSON mapper of the module's files, and the two layouts they use: pretty documents and JSON Lines. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** An indented document ending in a newline, for files people read. */
    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One compact JSON object per line, each line ending in a newline. */
    public static <T> String lines(List<T> rows, Function<T, ? extends JsonNode> toJson) {
        StringBuilder text = new StringBuilder();
        try {
            for (T row : rows) {
                text.append(MAPPER.writeValueAsString(toJson.apply(row))).append('\n');
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
