package dev.carrot.evaluation.report;

import java.util.List;

/**
 * Writes a simple document in one markup. The report's content is composed once ({@link ReportDocument}) and
 * rendered by each implementation, so Markdown and HTML reports cannot say different things. All text arguments are
 * plain text; renderers escape them.
 */
interface DocumentRenderer {

    void heading(int level, String text);

    void paragraph(String text);

    void table(List<String> header, List<List<String>> rows);

    /** A PNG, which the markup may link ({@code fileName}, beside the document) or embed ({@code png}). */
    void image(String fileName, byte[] png, String caption);

    /** The finished document. */
    String render();
}
