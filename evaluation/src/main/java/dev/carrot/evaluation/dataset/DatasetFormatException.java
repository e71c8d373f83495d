package dev.carrot.evaluation.dataset;

import dev.carrot.common.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A dataset file with bad records; lists every one of them (up to a limit) with its line number. */
public final class DatasetFormatException extends InvalidInputException {

    /** One bad record. {@code line} is 1-based; for a CSV record spanning lines, the line it starts on. */
    public record Problem(int line, String message) {}

    private static final int LISTED = 20;

    private final transient List<Problem> problems;

    public DatasetFormatException(Path file, List<Problem> problems) {
        super(describe(file, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(Path file, List<Problem> problems) {
        String listed = problems.stream().limit(LISTED)
                .map(problem -> file + ":" + problem.line() + ": " + problem.message())
                .collect(Collectors.joining("\n"));
        int more = problems.size() - LISTED;
        return problems.size() + " bad record" + (problems.size() == 1 ? "" : "s") + " in " + file + ":\n" + listed
                + (more > 0 ? "\n... and " + more + " more" : "");
    }
}
