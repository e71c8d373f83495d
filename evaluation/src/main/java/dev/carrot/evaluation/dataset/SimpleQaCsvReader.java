package dev.carrot.evaluation.dataset;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads SimpleQA's CSV ({@code metadata,problem,answer}). Required columns: {@code problem} and {@code answer};
 * optional: {@code id} and {@code tier}; every other column, SimpleQA's Python-dict-like {@code metadata} included,
 * is kept verbatim in {@link EvalItem#metadata()}. Column names are matched ignoring case and surrounding spaces.
 */
final class SimpleQaCsvReader {

    private static final String QUESTION = "problem";
    private static final String ANSWER = "answer";
    private static final String ID = "id";
    private static final String TIER = "tier";

    private SimpleQaCsvReader() {}

    static Dataset read(Path file, String text) {
        DatasetBuilder dataset = new DatasetBuilder(file);
        CsvTable csv = CsvTable.parse(text);
        dataset.problems(csv.problems());
        if (csv.header() == null) {
            throw dataset.fail(1, "expected a header row naming the columns problem and answer");
        }
        List<String> columns = csv.header().names().stream().map(name -> name.trim().toLowerCase(Locale.ROOT))
                .toList();
        List<String> missing = List.of(QUESTION, ANSWER).stream().filter(name -> !columns.contains(name)).toList();
        if (!missing.isEmpty()) {
            throw dataset.fail(csv.header().line(), "the header " + columns + " lacks the columns " + missing);
        }
        for (CsvTable.Row record : csv.rows()) {
            if (record.fields().size() != columns.size()) {
                dataset.problem(record.line(), "expected " + columns.size() + " fields, got " + record.fields().size());
                continue;
            }
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i), record.fields().get(i).trim());
            }
            String empty = row.get(QUESTION).isEmpty() ? QUESTION : row.get(ANSWER).isEmpty() ? ANSWER : null;
            if (empty != null) {
                dataset.problem(record.line(), "empty " + empty);
                continue;
            }
            Map<String, String> metadata = new HashMap<>(row);
            List.of(QUESTION, ANSWER, ID, TIER).forEach(metadata::remove);
            dataset.add(record.line(), new EvalItem(
                    nonEmptyOr(row.get(ID), DatasetBuilder.defaultId(record.line())),
                    row.get(QUESTION), row.get(ANSWER), List.of(),
                    nonEmptyOr(row.get(TIER), EvalItem.UNKNOWN_TIER),
                    metadata));
        }
        return dataset.build();
    }

    private static String nonEmptyOr(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
