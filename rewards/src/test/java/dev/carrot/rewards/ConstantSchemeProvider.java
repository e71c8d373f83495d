package dev.carrot.rewards;

/**
 * A scheme that a jar on the test classpath declares in META-INF/services, as a user's plugin jar on the classpath
 * would: it pays a constant {@code value} (default 1).
 */
public final class ConstantSchemeProvider implements RewardSchemeProvider {

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String description() {
        return "pays a constant value (test scheme)";
    }

    @Override
    public RewardScheme create(SchemeParams params) {
        double value = params.number("value", 1.0);
        return new PerRolloutScheme() {
            @Override
            public String name() {
                return "constant";
            }

            @Override
            public Reward score(Rollout rollout) {
                return Reward.of("constant", value, null);
            }
        };
    }
}
