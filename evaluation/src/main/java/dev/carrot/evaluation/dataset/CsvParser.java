package dev.carrot.evaluation.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits RFC 4180 CSV text into records: fields separated by commas, records by CRLF or LF, fields containing a
 * comma, quote or line break enclosed in double quotes, a quote inside them doubled. Every record remembers the
 * line it starts on, so problems can be reported where an editor shows them. Blank lines are skipped; a stray quote
 * inside an unquoted field is kept as text, as most CSV writers intend.
 */
final class CsvParser {

    /** A record and the 1-based line it starts on. */
    record CsvRecord(int line, List<String> fields) {}

    private final String text;
    private final List<CsvRecord> records = new ArrayList<>();
    private final List<DatasetFormatException.Problem> problems = new ArrayList<>();
    private int position;
    private int line = 1;

    private CsvParser(String text) {
        // A UTF-8 byte order mark is not part of the first header name.
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Parses {@code text}; malformed records are left out of {@code records} and described in {@code problems}. */
    static CsvParser parse(String text) {
        CsvParser parser = new CsvParser(text);
        parser.parseRecords();
        return parser;
    }

    List<CsvRecord> records() {
        return records;
    }

    List<DatasetFormatException.Problem> problems() {
        return problems;
    }

    private void parseRecords() {
        while (position < text.length()) {
            int start = line;
            if (atLineEnd()) {
                skipLineEnd();
                continue;
            }
            List<String> fields = new ArrayList<>();
            String malformed = null;
            while (true) {
                String field = parseField();
                if (field == null) {
                    problems.add(new DatasetFormatException.Problem(start, "unterminated quoted field"));
                    return; // Everything after an unclosed quote is inside it; nothing more can be trusted.
                }
                fields.add(field);
                if (position < text.length() && text.charAt(position) == ',') {
                    position++;
                } else if (position >= text.length() || atLineEnd()) {
                    break;
                } else {
                    malformed = "unexpected character '" + text.charAt(position) + "' after a quoted field";
                    skipRestOfLine();
                    break;
                }
            }
            if (position < text.length()) {
                skipLineEnd();
            }
            if (malformed == null) {
                records.add(new CsvRecord(start, List.copyOf(fields)));
            } else {
                problems.add(new DatasetFormatException.Problem(start, malformed));
            }
        }
    }

    /** The next field, or null when a quoted field runs to the end of the text. */
    private String parseField() {
        StringBuilder field = new StringBuilder();
        if (position < text.length() && text.charAt(position) == '"') {
            position++;
            while (true) {
                if (position >= text.length()) {
                    return null;
                }
                char c = text.charAt(position++);
                if (c == '"') {
                    if (position < text.length() && text.charAt(position) == '"') {
                        field.append('"');
                        position++;
                    } else {
                        return field.toString();
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            }
        }
        while (position < text.length() && text.charAt(position) != ',' && !atLineEnd()) {
            field.append(text.charAt(position++));
        }
        return field.toString();
    }

    private boolean atLineEnd() {
        char c = text.charAt(position);
        return c == '\n' || (c == '\r' && position + 1 < text.length() && text.charAt(position + 1) == '\n');
    }

    private void skipLineEnd() {
        position += text.charAt(position) == '\r' ? 2 : 1;
        line++;
    }

    private void skipRestOfLine() {
        while (position < text.length() && !atLineEnd()) {
            position++;
        }
    }
}
