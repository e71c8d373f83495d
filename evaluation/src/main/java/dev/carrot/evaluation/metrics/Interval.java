package dev.carrot.evaluation.metrics;

/** A point estimate with the bounds of its confidence interval. */
public record Interval(double estimate, double low, double high) {}
