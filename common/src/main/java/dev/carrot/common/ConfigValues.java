package dev.carrot.common;

/**
 * Defaults and range checks for the fields of config records, whose YAML binding leaves absent fields null. Each
 * failure is an {@link IllegalArgumentException} whose message starts with the field's YAML name; the loader
 * prefixes the file and section.
 */
public final class ConfigValues {

    private ConfigValues() {}

    /** {@code value}, or {@code fallback} when absent; it must be a positive integer. */
    public static int positive(String field, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v <= 0) {
            throw new IllegalArgumentException(field + ": expected a positive integer, got " + v);
        }
        return v;
    }

    /** {@code value}, or {@code fallback} when absent; it must be a finite positive number. */
    public static double positive(String field, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + ": expected a positive number, got " + v);
        }
        return v;
    }

    /** {@code value}, or {@code fallback} when absent; it must be a finite number ≥ 0. */
    public static double nonNegative(String field, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + ": expected a number ≥ 0, got " + v);
        }
        return v;
    }
}
