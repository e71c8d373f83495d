package dev.carrot.evaluation.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How well the model's confidence predicts the correctness of its stated answers. Computed over the attempted items
 * (answered or hedged) that carry a confidence: an abstention states nothing whose correctness could be predicted,
 * and unparseable output states no answer. The confidence of an item is the probability the model gave its
 * completion, exp(sequence log-probability).
 *
 * @param n            the items the figures are computed over
 * @param brier        mean squared difference between confidence and correctness (0 is perfect)
 * @param ece          expected calibration error: over {@value #ECE_BINS} equal-width bins, the item-weighted mean
 *                     absolute (L1) gap between mean confidence and accuracy
 * @param auroc        probability that a random correct item has higher confidence than a random incorrect one,
 *                     ties counting one half (Mann-Whitney U); NaN unless both kinds occur
 * @param aurc         area under the risk-coverage curve: the mean, over coverages k/n for k = 1..n, of the error
 *                     rate among the k most confident items; lower is better
 * @param bins         the reliability diagram
 * @param riskCoverage the risk-coverage curve, one point per k
 */
public record Calibration(int n, double brier, double ece, double auroc, double aurc, List<ReliabilityBin> bins,
                          List<RiskCoveragePoint> riskCoverage) {

    /** The number of equal-width confidence bins of the reliability diagram and the ECE. */
    public static final int ECE_BINS = 10;

    public Calibration {
        bins = List.copyOf(bins);
        riskCoverage = List.copyOf(riskCoverage);
    }

    public static Calibration of(List<GradedItem> items) {
        List<GradedItem> calibratable = items.stream().filter(GradedItem::calibratable).toList();
        double[] confidence = calibratable.stream().mapToDouble(GradedItem::confidence).toArray();
        boolean[] correct = new boolean[calibratable.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = calibratable.get(i).grade().correct();
        }
        List<ReliabilityBin> bins = reliability(confidence, correct);
        List<RiskCoveragePoint> curve = riskCoverage(confidence, correct);
        return new Calibration(confidence.length, brier(confidence, correct), ece(bins, confidence.length),
                auroc(confidence, correct), aurc(curve), bins, curve);
    }

    /** Mean of (confidence - correct)^2; NaN for no items. */
    public static double brier(double[] confidence, boolean[] correct) {
        double sum = 0;
        for (int i = 0; i < confidence.length; i++) {
            double error = confidence[i] - (correct[i] ? 1 : 0);
            sum += error * error;
        }
        return confidence.length == 0 ? Double.NaN : sum / confidence.length;
    }

    /** {@value #ECE_BINS} bins [i/10, (i+1)/10); a confidence of exactly 1 falls in the last. */
    public static List<ReliabilityBin> reliability(double[] confidence, boolean[] correct) {
        int[] count = new int[ECE_BINS];
        double[] confidenceSum = new double[ECE_BINS];
        int[] correctCount = new int[ECE_BINS];
        for (int i = 0; i < confidence.length; i++) {
            int bin = Math.min((int) (confidence[i] * ECE_BINS), ECE_BINS - 1);
            count[bin]++;
            confidenceSum[bin] += confidence[i];
            correctCount[bin] += correct[i] ? 1 : 0;
        }
        List<ReliabilityBin> bins = new ArrayList<>(ECE_BINS);
        for (int bin = 0; bin < ECE_BINS; bin++) {
            boolean empty = count[bin] == 0;
            bins.add(new ReliabilityBin((double) bin / ECE_BINS, (double) (bin + 1) / ECE_BINS, count[bin],
                    empty ? Double.NaN : confidenceSum[bin] / count[bin],
                    empty ? Double.NaN : (double) correctCount[bin] / count[bin]));
        }
        return bins;
    }

    /** Sum over bins of (count / n) |accuracy - mean confidence|; NaN for no items. */
    public static double ece(List<ReliabilityBin> bins, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (ReliabilityBin bin : bins) {
            if (bin.count() > 0) {
                sum += (double) bin.count() / n * Math.abs(bin.accuracy() - bin.meanConfidence());
            }
        }
        return sum;
    }

    /** Mann-Whitney AUROC of confidence for separating correct from incorrect, ties counted half, via mid-ranks. */
    public static double auroc(double[] confidence, boolean[] correct) {
        int positives = 0;
        for (boolean c : correct) {
            positives += c ? 1 : 0;
        }
        int negatives = correct.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = IntStream.range(0, confidence.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> confidence[i]));
        double positiveRankSum = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && confidence[order[end + 1]] == confidence[order[start]]) {
                end++;
            }
            double midRank = (start + end) / 2.0 + 1; // ranks are 1-based; tied items share their mean rank
            for (int k = start; k <= end; k++) {
                positiveRankSum += correct[order[k]] ? midRank : 0;
            }
            start = end + 1;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * The selective risk of answering only the k most confident items, for k = 1..n. Items of equal confidence are
     * ranked in every order with equal probability: within a tie the expected errors grow linearly, so the curve does
     * not depend on the input order.
     */
    public static List<RiskCoveragePoint> riskCoverage(double[] confidence, boolean[] correct) {
        int n = confidence.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> -confidence[i]));
        List<RiskCoveragePoint> curve = new ArrayList<>(n);
        int errorsBefore = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && confidence[order[end + 1]] == confidence[order[start]]) {
                end++;
            }
            int size = end - start + 1;
            int errors = 0;
            for (int k = start; k <= end; k++) {
                errors += correct[order[k]] ? 0 : 1;
            }
            for (int j = 1; j <= size; j++) {
                int covered = start + j;
                curve.add(new RiskCoveragePoint((double) covered / n,
                        (errorsBefore + (double) j * errors / size) / covered));
            }
            errorsBefore += errors;
            start = end + 1;
        }
        return curve;
    }

    /** The mean risk over the curve's points; NaN for an empty curve. */
    public static double aurc(List<RiskCoveragePoint> curve) {
        return curve.stream().mapToDouble(RiskCoveragePoint::risk).average().orElse(Double.NaN);
    }
}
