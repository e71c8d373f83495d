package dev.carrot.evaluation.metrics;

import java.util.function.ToDoubleFunction;

/** The scalar calibration metrics of a group: each with its report key and meaning. See {@link Calibration}. */
public enum CalibrationMetric implements NumericMetric {
    N_CALIBRATED("n_calibrated", true, "Attempted items (answered or hedged) with a confidence: the population of the "
            + "calibration metrics.", Calibration::n),
    ECE("ece", false, "Expected calibration error: over " + Calibration.ECE_BINS + " equal-width confidence bins, "
            + "the item-weighted mean absolute (L1) gap between mean confidence and accuracy. 0 is perfectly "
            + "calibrated.", Calibration::ece),
    BRIER("brier", false, "Mean squared difference between confidence and correctness (1 or 0). Lower is better.",
            Calibration::brier),
    AUROC("auroc", false, "Probability that a random correct answer has higher confidence than a random incorrect one "
            + "(ties count one half). 0.5 is chance; undefined (null) unless both occur.", Calibration::auroc),
    AURC("aurc", false, "Area under the risk-coverage curve: the mean error rate among the k most confident answers, "
            + "over k = 1..n. Lower is better.", Calibration::aurc);

    private final String key;
    private final boolean count;
    private final String meaning;
    private final ToDoubleFunction<Calibration> value;

    CalibrationMetric(String key, boolean count, String meaning, ToDoubleFunction<Calibration> value) {
        this.key = key;
        this.count = count;
        this.meaning = meaning;
        this.value = value;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean count() {
        return count;
    }

    @Override
    public String meaning() {
        return meaning;
    }

    public double of(Calibration calibration) {
        return value.applyAsDouble(calibration);
    }

    @Override
    public double of(GroupMetrics group) {
        return of(group.calibration());
    }
}
