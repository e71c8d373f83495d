package dev.carrot.evaluation.metrics;

/**
 * A point of the risk-coverage curve: answering only the most confident {@code coverage} fraction of the attempted
 * items, {@code risk} is the fraction of those that are wrong.
 */
public record RiskCoveragePoint(double coverage, double risk) {}
