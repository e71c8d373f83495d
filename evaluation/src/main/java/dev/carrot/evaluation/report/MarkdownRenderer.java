package dev.carrot.evaluation.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** GitHub-flavoured Markdown; images are linked to the PNG files written beside the report. */
final class MarkdownRenderer implements DocumentRenderer {

    /** Characters that Markdown could read as markup. Intraword underscores cannot, so metric keys stay greppable. */
    private static final Pattern SPECIAL = Pattern.compile("[\\\\`*\\[\\]<>|#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])");

    private final StringBuilder out = new StringBuilder();

    @Override
    public void heading(int level, String text) {
        out.append("#".repeat(level)).append(' ').append(escape(text)).append("\n\n");
    }

    @Override
    public void paragraph(String text) {
        out.append(escape(text)).append("\n\n");
    }

    @Override
    public void table(List<String> header, List<List<String>> rows) {
        out.append(row(header)).append('|').append(" --- |".repeat(header.size())).append('\n');
        rows.forEach(row -> out.append(row(row)));
        out.append('\n');
    }

    @Override
    public void image(String fileName, byte[] png, String caption) {
        out.append("![").append(escape(caption)).append("](").append(fileName).append(")\n\n");
    }

    @Override
    public String render() {
        return out.toString();
    }

    private static String row(List<String> cells) {
        return cells.stream().map(cell -> escape(cell).replace("\r", "").replace("\n", " "))
                .collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    private static String escape(String text) {
        return SPECIAL.matcher(text).replaceAll(match -> "\\\\" + Matcher.quoteReplacement(match.group()));
    }
}
