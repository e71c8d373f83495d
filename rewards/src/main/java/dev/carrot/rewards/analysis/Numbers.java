package dev.carrot.rewards.analysis;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Numbers as the analysis prints them: six significant digits at most, no trailing zeros ("0.8", "-4"), and
 * rounding noise such as 2.2e-16 shown as the 0 it stands for.
 */
final class Numbers {

    private static final double NOISE = 1e-12;

    private Numbers() {}

    static String format(double x) {
        if (Math.abs(x) < NOISE) {
            return "0";
        }
        return BigDecimal.valueOf(x).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
