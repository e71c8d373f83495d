package dev.carrot.examples.rewards;

import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.RewardSchemeProvider;
import dev.carrot.rewards.SchemeParams;
import dev.carrot.rewards.schemes.Payoffs;
import dev.carrot.rewards.schemes.TieredScheme;

/**
 * The {@code numeric-tolerance} scheme: the calibration tiers, with numeric answers graded within a tolerance.
 * Listed in {@code META-INF/services/dev.carrot.rewards.RewardSchemeProvider}, which is how Carrot finds it.
 *
 * <pre>{@code
 * reward:
 *   scheme: numeric-tolerance
 *   params: {tolerance: 0.01, incorrect: -4.0}   # plus any calibration tier
 * }</pre>
 *
 * Being a {@link TieredScheme}, it can be analysed with {@code ./carrot rewards analyze}.
 */
public final class NumericToleranceProvider implements RewardSchemeProvider {

    @Override
    public String name() {
        return "numeric-tolerance";
    }

    @Override
    public String description() {
        return "calibration tiers; numeric answers are right within a relative tolerance (default 0.01)";
    }

    @Override
    public RewardScheme create(SchemeParams params) {
        double tolerance = params.number("tolerance", 0.01);
        if (tolerance < 0) {
            throw params.invalid("tolerance", "expected a relative tolerance >= 0, got " + tolerance);
        }
        Payoffs payoffs = Payoffs.read(params, Payoffs.CALIBRATION);
        return new TieredScheme(name(), payoffs, new NumericToleranceGrader(tolerance));
    }
}
