package dev.carrot.evaluation.config;

/**
 * Invariant checks for config record constructors. Each failure is an {@link IllegalArgumentException} whose message
 * starts with the offending field's YAML name, which {@link dev.carrot.common.ConfigBinder} prefixes with the file
 * and section.
 */
public final class ConfigChecks {

    /** Fractions of a distribution may miss 1 by this much, so that 0.3 + 0.3 + 0.4 passes. */
    private static final double SUM_TOLERANCE = 1e-9;

    private ConfigChecks() {}

    public static void atLeast(String field, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(field + ": expected at least " + minimum + ", got " + value);
        }
    }

    public static void atMost(String field, long value, long maximum, String why) {
        if (value > maximum) {
            throw new IllegalArgumentException(field + ": expected at most " + maximum + " (" + why + "), got "
                    + value);
        }
    }

    public static void notNull(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": missing");
        }
    }

    /**
     * ConfigChecks that {@code values} are fractions in [0, 1] summing to 1, each above zero when {@code positive}.
     *
     * @param fields the YAML names of the values, in order
     */
    public static void distribution(String[] fields, double[] values, boolean positive) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            double value = values[i];
            if (!(value >= 0 && value <= 1) || (positive && value == 0)) {
                throw new IllegalArgumentException(fields[i] + ": expected a fraction in "
                        + (positive ? "(0, 1]" : "[0, 1]") + ", got " + value);
            }
            sum += value;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException(fields[0] + ": expected " + String.join(" + ", fields)
                    + " to sum to 1, got " + sum);
        }
    }
}
