package dev.carrot.evaluation.report;

import dev.carrot.evaluation.EvalReport;
import dev.carrot.common.AtomicFiles;
import java.io.IOException;
import dev.carrot.evaluation.io.Json;
import dev.carrot.evaluation.metrics.Calibration;

import java.nio.file.Path;

/**
 * Writes an {@link EvalReport} into a folder, every file atomically:
 * {@value #JSON} (machine-readable, see {@link ReportJson}), {@value #MARKDOWN}, {@value #HTML} (self-contained),
 * {@value #GRADED} (every graded item, one JSON object a line) and the plots {@value #RELIABILITY},
 * {@value #RISK_COVERAGE} and {@value #STYLES}.
 */
public final class ReportWriter {

    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String GRADED = "graded.jsonl";
    public static final String RELIABILITY = "reliability.png";
    public static final String RISK_COVERAGE = "risk_coverage.png";
    public static final String STYLES = "styles_by_tier.png";

    /** How many graded items report.json and the documents show; graded.jsonl has all. */
    public static final int DEFAULT_SAMPLES = 50;

    private ReportWriter() {}

    public static void write(EvalReport report, Path folder) throws IOException {
        write(report, folder, DEFAULT_SAMPLES);
    }

    public static void write(EvalReport report, Path folder, int samples) throws IOException {
        Calibration calibration = report.overall().metrics().calibration();
        ReportDocument.Images images = new ReportDocument.Images(
                new ReportDocument.Image(STYLES, Charts.stylesByTier(report), "Answer style by tier"),
                new ReportDocument.Image(RELIABILITY, Charts.reliability(calibration), "Reliability diagram"),
                new ReportDocument.Image(RISK_COVERAGE, Charts.riskCoverage(calibration), "Risk-coverage curve"));
        for (ReportDocument.Image image : new ReportDocument.Image[] {images.styles(), images.reliability(),
                images.riskCoverage()}) {
            AtomicFiles.write(folder.resolve(image.fileName()), image.png());
        }
        AtomicFiles.writeString(folder.resolve(GRADED), Json.lines(report.items(), ReportJson::item));
        AtomicFiles.writeString(folder.resolve(MARKDOWN),
                ReportDocument.render(report, images, samples, new MarkdownRenderer()));
        AtomicFiles.writeString(folder.resolve(HTML),
                ReportDocument.render(report, images, samples, new HtmlRenderer("Evaluation of " + report.dataset())));
        // Last, so that a report.json beside the other files means all of them are complete.
        AtomicFiles.writeString(folder.resolve(JSON), Json.pretty(ReportJson.build(report, samples)));
    }
}
