package dev.carrot.rewards.analysis;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Numbers as the analysis prints them: six significant digits at most, no trailing zeros ("0.8", "-4"), and
 * rounding noise such as 2.2e-16 shown as the 0 it stands for.
 */
final class Numbers {

    private static final double NOISE = 1e-12;
    private static final int MAX_DENOMINATOR = 100;

    private Numbers() {}

    /** A probability, and the simple fraction it is when six digits cannot show it exactly: "0.666667 (2/3)". */
    static String probability(double p) {
        String decimal = format(p);
        for (int denominator = 2; denominator <= MAX_DENOMINATOR; denominator++) {
            long numerator = Math.round(p * denominator);
            if (Math.abs(p * denominator - numerator) < NOISE * denominator) {
                boolean exact = Math.abs(Double.parseDouble(decimal) - p) < NOISE;
                return exact ? decimal : decimal + " (" + numerator + "/" + denominator + ")";
            }
        }
        return decimal;
    }

    static String format(double x) {
        if (Math.abs(x) < NOISE) {
            return "0";
        }
        return BigDecimal.valueOf(x).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
