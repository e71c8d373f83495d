package dev.carrot.rewards.analysis;

import dev.carrot.common.AtomicFiles;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Draws a {@link RewardAnalysis} as a PNG: each action's expected reward against p, with a dashed vertical line at
 * every threshold. The upper envelope of the lines is the optimal policy's expected reward.
 */
public final class RewardPlot {

    private static final int POINTS = 201;
    private static final Map<Action, Color> COLORS = Map.of(
            Action.ANSWER, new Color(0x1f77b4),
            Action.HEDGE, new Color(0xff7f0e),
            Action.ABSTAIN, new Color(0x7f7f7f));

    private RewardPlot() {}

    /** Writes the plot to {@code png}, atomically: the file is either the old one or the complete new one. */
    public static void write(RewardAnalysis analysis, Path png) throws IOException {
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart(analysis), BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYChart chart(RewardAnalysis analysis) {
        XYChart chart = new XYChartBuilder()
                .width(800).height(500)
                .title("Expected reward by probability of being right: " + analysis.scheme())
                .xAxisTitle("p (probability the answer is right)")
                .yAxisTitle("expected reward")
                .build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideSE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAnnotationLineColor(Color.DARK_GRAY);
        styler.setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);

        double[] p = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            p[i] = (double) i / (POINTS - 1);
        }
        for (Action action : Action.values()) {
            double[] reward = new double[POINTS];
            for (int i = 0; i < POINTS; i++) {
                reward[i] = analysis.expectedReward(action, p[i]);
            }
            XYSeries series = chart.addSeries(action.label(), p, reward);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(COLORS.get(action));
            series.setLineWidth(2.5f);
        }
        for (Threshold threshold : analysis.thresholds()) {
            chart.addAnnotation(new AnnotationLine(threshold.p(), true, false));
        }
        return chart;
    }
}
