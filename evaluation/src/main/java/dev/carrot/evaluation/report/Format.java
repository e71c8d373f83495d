package dev.carrot.evaluation.report;

import java.util.Locale;

/** How numbers appear in the human-readable reports: three decimals, counts as integers, undefined as an en dash. */
final class Format {

    private Format() {}

    static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "–";
    }

    static String metric(double value, boolean count) {
        return count && Double.isFinite(value) ? Long.toString(Math.round(value)) : number(value);
    }
}
