package dev.carrot.evaluation.metrics;

/**
 * One confidence bin of a reliability diagram: the items whose confidence lies in [lower, upper) (the last bin
 * also holds 1.0).
 *
 * @param meanConfidence the mean confidence of its items; NaN when empty
 * @param accuracy       the fraction of its items that are correct; NaN when empty
 */
public record ReliabilityBin(double lower, double upper, int count, double meanConfidence, double accuracy) {}
