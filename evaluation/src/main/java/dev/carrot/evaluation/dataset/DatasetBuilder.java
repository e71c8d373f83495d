package dev.carrot.evaluation.dataset;

import dev.carrot.evaluation.dataset.DatasetFormatException.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects a file's items and bad rows; a file with any bad row, or none good, is rejected as a whole. */
final class DatasetBuilder {

    private final Path file;
    private final List<EvalItem> items = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private final List<Problem> problems = new ArrayList<>();

    DatasetBuilder(Path file) {
        this.file = file;
    }

    /** The id for a row that names none. */
    static String defaultId(int line) {
        return "line-" + line;
    }

    void add(int line, EvalItem item) {
        if (ids.add(item.id())) {
            items.add(item);
        } else {
            problem(line, "duplicate id '" + item.id() + "'");
        }
    }

    void problem(int line, String message) {
        problems.add(new Problem(line, message));
    }

    void problems(List<Problem> more) {
        problems.addAll(more);
    }

    /** Rejects the file now; for problems after which no row can be read. */
    DatasetFormatException fail(int line, String message) {
        problem(line, message);
        return new DatasetFormatException(file, problems);
    }

    Dataset build() {
        if (items.isEmpty() && problems.isEmpty()) {
            problem(1, "no items");
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(Problem::line));
            throw new DatasetFormatException(file, problems);
        }
        return new Dataset(file.toString(), items);
    }
}
