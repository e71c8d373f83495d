package dev.carrot.evaluation.metrics;

/** A point estimate with the bounds of its confidence interval. */
public record ConfidenceInterval(double estimate, double low, double high) {}
