package dev.carrot.evaluation.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV text with a header row (RFC 4180, read by Apache Commons CSV): the header, the records with the line each
 * starts on, and every malformed record. Commons CSV stops at the first malformed record; reading resumes on the
 * line after the one it starts on, so that one pass over a file reports all its bad rows — except after a quote that
 * is never closed, where everything that follows is inside the quote and nothing more can be trusted. Blank lines
 * are skipped; a UTF-8 byte order mark is not part of the first column's name.
 */
record CsvTable(Header header, List<Row> rows, List<DatasetFormatException.Problem> problems) {

    /** The header row's fields, and the line it is on. */
    record Header(int line, List<String> names) {}

    /** A record's fields, and the 1-based line it starts on. */
    record Row(int line, List<String> fields) {}

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).build();

    /** The header is null when the text holds no record at all. */
    static CsvTable parse(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        LineIndex lines = new LineIndex(body);
        List<Row> records = new ArrayList<>();
        List<DatasetFormatException.Problem> problems = new ArrayList<>();
        int from = 0; // where the current pass starts in body
        while (from < body.length()) {
            Malformed malformed = readUntilMalformed(body, from, lines, records);
            if (malformed == null) {
                break;
            }
            problems.add(new DatasetFormatException.Problem(malformed.line(), malformed.message()));
            if (malformed.unterminated()) {
                break;
            }
            from = lines.start(malformed.line() + 1);
        }
        Header header = records.isEmpty() ? null : new Header(records.get(0).line(), records.get(0).fields());
        return new CsvTable(header, records.isEmpty() ? List.of() : List.copyOf(records.subList(1, records.size())),
                List.copyOf(problems));
    }

    /** A malformed record: where it starts, what is wrong, and whether it is a quote never closed. */
    private record Malformed(int line, String message, boolean unterminated) {}

    /** Reads records from {@code from} into {@code records}; the first malformed one ends the pass. */
    private static Malformed readUntilMalformed(String body, int from, LineIndex lines, List<Row> records) {
        int fromLine = lines.lineOf(from);
        try (CSVParser csv = CSVParser.parse(body.substring(from), FORMAT)) {
            var iterator = csv.iterator();
            while (true) {
                // Line endings read so far: the next record starts on the following line, or after blank ones.
                long linesRead = csv.getCurrentLineNumber();
                CSVRecord record;
                try {
                    if (!iterator.hasNext()) {
                        return null;
                    }
                    record = iterator.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    String cause = String.valueOf(rootMessage(e));
                    boolean unterminated = cause.contains("EOF reached before encapsulated token");
                    String message = unterminated ? "unterminated quoted field"
                            : cause.contains("between encapsulated token and delimiter")
                                    ? "text after a closing quote (expected a comma or the end of the line)"
                                    : "not valid CSV: " + cause;
                    int start = recordStart(body, lines.start(fromLine + (int) linesRead));
                    return new Malformed(lines.lineOf(start), message, unterminated);
                }
                int start = recordStart(body, from + (int) record.getCharacterPosition());
                records.add(new Row(lines.lineOf(start), record.toList()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
    }

    /** Where each line of a text starts, so that positions map to lines in O(log n) instead of a scan. */
    private static final class LineIndex {
        private final int[] starts; // starts[i]: the position of line i + 1
        private final int length;

        LineIndex(String text) {
            int[] found = new int[16];
            int count = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    if (count == found.length) {
                        found = Arrays.copyOf(found, 2 * count);
                    }
                    found[count++] = i + 1;
                }
            }
            this.starts = Arrays.copyOf(found, count);
            this.length = text.length();
        }

        /** The 1-based line of {@code position}. */
        int lineOf(int position) {
            int i = Arrays.binarySearch(starts, position);
            return i >= 0 ? i + 1 : -i - 1;
        }

        /** The position where 1-based {@code line} starts; the text's length past the last line. */
        int start(int line) {
            return line - 1 < starts.length ? starts[line - 1] : length;
        }
    }

    /** The first character at or after {@code position} that is not part of a blank line: where a record starts. */
    private static int recordStart(String text, int position) {
        int i = position;
        while (i < text.length() && (text.charAt(i) == '\n' || text.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }
}
