package dev.carrot.evaluation.report;

import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.metrics.Calibration;
import dev.carrot.evaluation.metrics.ReliabilityBin;
import dev.carrot.evaluation.metrics.RiskCoveragePoint;
import dev.carrot.evaluation.metrics.Tally;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The report's plots, rendered to PNG bytes with XChart. */
final class Charts {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;

    private Charts() {}

    /** Accuracy against mean confidence for each non-empty bin, beside the diagonal of perfect calibration. */
    static byte[] reliability(Calibration calibration) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Reliability diagram")
                .xAxisTitle("confidence (exp of sequence log-probability)").yAxisTitle("accuracy").build();
        style(chart);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        XYSeries diagonal = chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        diagonal.setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
        List<ReliabilityBin> filled = calibration.bins().stream().filter(bin -> bin.count() > 0).toList();
        if (!filled.isEmpty()) {
            chart.addSeries("model (" + calibration.n() + " answers, ECE " + Format.number(calibration.ece()) + ")",
                    filled.stream().mapToDouble(ReliabilityBin::meanConfidence).toArray(),
                    filled.stream().mapToDouble(ReliabilityBin::accuracy).toArray());
        }
        return png(chart);
    }

    /** The error rate among the most confident answers as coverage grows. */
    static byte[] riskCoverage(Calibration calibration) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Risk-coverage curve")
                .xAxisTitle("coverage (fraction of answers kept, most confident first)")
                .yAxisTitle("risk (error rate among kept answers)").build();
        style(chart);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.0#").setYAxisDecimalPattern("0.0");
        List<RiskCoveragePoint> curve = calibration.riskCoverage();
        if (curve.isEmpty()) {
            // XChart refuses a chart without series; a point at the origin keeps the axes, and the legend says why.
            chart.addSeries("no answers with a confidence", new double[] {0}, new double[] {0});
        } else {
            chart.addSeries("AURC " + Format.number(calibration.aurc()),
                    curve.stream().mapToDouble(RiskCoveragePoint::coverage).toArray(),
                    curve.stream().mapToDouble(RiskCoveragePoint::risk).toArray()).setMarker(SeriesMarkers.NONE);
        }
        return png(chart);
    }

    /** Stacked shares of plain, hedged, abstained and unparseable completions, overall and per tier. */
    static byte[] stylesByTier(EvalReport report) {
        List<String> groups = new ArrayList<>();
        List<Tally> tallies = new ArrayList<>();
        groups.add("overall");
        tallies.add(report.overall().metrics().tally());
        for (Map.Entry<String, EvalReport.Group> tier : report.byTier().entrySet()) {
            groups.add(tier.getKey());
            tallies.add(tier.getValue().metrics().tally());
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH + 160).height(HEIGHT).title("Answer style by tier")
                .xAxisTitle("tier").yAxisTitle("share of completions").build();
        style(chart);
        chart.getStyler().setStacked(true);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0");
        // Stacked bars reach the top; a legend inside would hide them, and long tier names need the slant.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(20);
        addShare(chart, "answered", groups, tallies, Tally::answerRate, new Color(0x4C72B0));
        addShare(chart, "hedged", groups, tallies, Tally::hedgeRate, new Color(0xDD8452));
        addShare(chart, "abstained", groups, tallies, Tally::abstainRate, new Color(0x55A868));
        addShare(chart, "unparseable", groups, tallies, Tally::unparseableRate, new Color(0xC44E52));
        return png(chart);
    }

    private static void addShare(CategoryChart chart, String name, List<String> groups, List<Tally> tallies,
                                 ToDoubleFunction<Tally> share, Color color) {
        List<Double> values = tallies.stream().map(tally -> share.applyAsDouble(tally)).toList();
        chart.addSeries(name, groups, values).setFillColor(color);
    }

    private static void style(Chart<?, ?> chart) {
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setAntiAlias(true);
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + chart.getTitle(), e);
        }
    }
}
