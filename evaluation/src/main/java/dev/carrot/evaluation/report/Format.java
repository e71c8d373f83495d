package dev.carrot.evaluation.report;

import java.util.Locale;

/** How numbers appear in the human-readable reports: three decimals, counts as integers, undefined as an en dash. */
final class Format {

    /** How an undefined value (NaN, or no action) appears. */
    static final String UNDEFINED = "–";

    private Format() {}

    static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : UNDEFINED;
    }

    static String metric(double value, boolean count) {
        return count && Double.isFinite(value) ? Long.toString(Math.round(value)) : number(value);
    }
}
