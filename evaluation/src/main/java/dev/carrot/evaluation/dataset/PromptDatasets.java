package dev.carrot.evaluation.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.common.InvalidInputException;
import dev.carrot.evaluation.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a prompt dataset: JSONL (one JSON object per line) or CSV with a header row, told apart by the extension.
 *
 * <p>A record has {@code prompt} (or {@code question}: one of the two) as non-empty text; its reference as
 * {@code answer} (text or a number) or {@code answers} (a non-empty list of texts, gold first; in CSV a JSON list);
 * optionally an {@code id} (text or integer, unique in the file); and any other fields, kept as
 * {@link PromptRecord#metadata()} under their own names (CSV cells as text). Every bad record is reported at once,
 * with the file, line and field, before anything is trained.
 */
public final class PromptDatasets {


    private PromptDatasets() {}

    public static List<PromptRecord> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Problems problems = new Problems(file);
        List<PromptRecord> records;
        if (name.endsWith(".jsonl")) {
            records = readJsonl(text, problems);
        } else if (name.endsWith(".csv")) {
            records = readCsv(text, problems);
        } else {
            throw new InvalidInputException(file + ": expected a .jsonl or .csv file");
        }
        problems.throwIfAny();
        if (records.isEmpty()) {
            throw new InvalidInputException(file + ": no records (expected one JSON object per line, or a CSV header"
                    + " row and at least one row)");
        }
        return records;
    }

    private static List<PromptRecord> readJsonl(String text, Problems problems) {
        List<PromptRecord> records = new ArrayList<>();
        Ids ids = new Ids();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                JsonNode row = Json.MAPPER.readTree(lines[i]);
                if (!row.isObject()) {
                    throw new IllegalArgumentException("expected a JSON object, got " + row.getNodeType()
                            .toString().toLowerCase(Locale.ROOT));
                }
                Map<String, JsonNode> fields = new LinkedHashMap<>();
                row.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
                records.add(ids.claim(record(fields, line), line));
            } catch (JsonProcessingException e) {
                problems.add(line, "not valid JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                problems.add(line, e.getMessage());
            }
        }
        return records;
    }

    private static List<PromptRecord> readCsv(String text, Problems problems) {
        List<PromptRecord> records = new ArrayList<>();
        Ids ids = new Ids();
        CsvTable csv = CsvTable.parse(text);
        csv.problems().forEach(p -> problems.add(p.line(), p.message()));
        if (csv.header() == null) {
            return records;
        }
        List<String> header = csv.header().names();
        for (CsvTable.Row row : csv.rows()) {
            int line = row.line();
            if (row.fields().size() != header.size()) {
                problems.add(line, "expected " + header.size() + " fields as in the header, got "
                        + row.fields().size());
                continue;
            }
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            try {
                for (int c = 0; c < header.size(); c++) {
                    String value = row.fields().get(c);
                    fields.put(header.get(c), header.get(c).equals("answers") && !value.isBlank()
                            ? parseJson(value, "answers") : Json.MAPPER.getNodeFactory().textNode(value));
                }
                if (fields.containsKey("answer") && fields.get("answer").asText().isEmpty()) {
                    fields.remove("answer"); // an empty cell: a record without a reference
                }
                records.add(ids.claim(record(fields, line), line));
            } catch (IllegalArgumentException e) {
                problems.add(line, e.getMessage());
            }
        }
        return records;
    }

    private static PromptRecord record(Map<String, JsonNode> fields, int line) {
        if (fields.containsKey("prompt") && fields.containsKey("question")) {
            throw new IllegalArgumentException("both 'prompt' and 'question': expected one of them");
        }
        String promptField = fields.containsKey("question") ? "question" : "prompt";
        JsonNode prompt = fields.remove(promptField);
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw new IllegalArgumentException("field '" + promptField + "': expected non-empty text"
                    + (prompt == null ? " (the record has no 'prompt' or 'question')" : ", got " + describe(prompt)));
        }
        List<String> references = references(fields.remove("answer"), fields.remove("answers"));
        JsonNode id = fields.remove("id");
        String identifier = "line-" + line;
        if (id != null) {
            if (!(id.isTextual() && !id.asText().isBlank()) && !id.canConvertToLong()) {
                throw new IllegalArgumentException("field 'id': expected text or an integer, got " + describe(id));
            }
            identifier = id.asText();
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        fields.forEach((key, value) -> metadata.put(key, Json.MAPPER.convertValue(value, Object.class)));
        return new PromptRecord(identifier, prompt.asText(), references, metadata);
    }

    private static List<String> references(JsonNode answer, JsonNode answers) {
        if (answer != null && answers != null) {
            throw new IllegalArgumentException("both 'answer' and 'answers': expected one of them");
        }
        if (answer != null) {
            if (!(answer.isTextual() || answer.isNumber()) || answer.asText().isBlank()) {
                throw new IllegalArgumentException("field 'answer': expected text or a number, got "
                        + describe(answer));
            }
            return List.of(answer.asText());
        }
        if (answers == null) {
            return List.of();
        }
        if (!answers.isArray() || answers.isEmpty()) {
            throw new IllegalArgumentException("field 'answers': expected a non-empty list of texts, gold first, got "
                    + describe(answers));
        }
        List<String> references = new ArrayList<>();
        for (JsonNode a : answers) {
            if (!(a.isTextual() || a.isNumber()) || a.asText().isBlank()) {
                throw new IllegalArgumentException("field 'answers': expected texts, got " + describe(a));
            }
            references.add(a.asText());
        }
        return references;
    }

    private static JsonNode parseJson(String value, String field) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("field '" + field + "': expected a JSON list, got " + value);
        }
    }

    private static String describe(JsonNode node) {
        String json = node.toString();
        return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + (json.length() > 40
                ? json.substring(0, 40) + "…" : json);
    }

    /** Ids seen so far, to refuse a second record with the same one. */
    private static final class Ids {
        private final Map<String, Integer> lines = new HashMap<>();

        PromptRecord claim(PromptRecord record, int line) {
            Integer first = lines.putIfAbsent(record.id(), line);
            if (first != null) {
                throw new IllegalArgumentException("field 'id': '" + record.id() + "' is also the id of line "
                        + first + "; ids must be unique");
            }
            return record;
        }
    }

    /** Bad records of one file, reported together in line order. */
    private static final class Problems {
        private final Path file;
        private final List<DatasetFormatException.Problem> found = new ArrayList<>();

        Problems(Path file) {
            this.file = file;
        }

        void add(int line, String message) {
            found.add(new DatasetFormatException.Problem(line, message));
        }

        void throwIfAny() {
            if (!found.isEmpty()) {
                found.sort(Comparator.comparingInt(DatasetFormatException.Problem::line));
                throw new DatasetFormatException(file, found);
            }
        }
    }
}
