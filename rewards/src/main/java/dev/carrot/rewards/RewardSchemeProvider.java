package dev.carrot.rewards;

/**
 * Makes a reward scheme available by name in job configs. This is the plugin interface: a jar that lists its
 * implementations in {@code META-INF/services/dev.carrot.rewards.RewardSchemeProvider} is discovered with
 * {@link java.util.ServiceLoader}, from the classpath or from {@code --reward-plugin FILE.jar}.
 *
 * <p>Implementations need a public no-argument constructor.
 */
public interface RewardSchemeProvider {

    /** The name job configs use ({@code scheme: NAME}); lowercase words joined by hyphens, by convention. */
    String name();

    /** One line for {@code carrot rewards list}. */
    String description();

    /**
     * Builds the scheme from its parameters. Read every supported parameter through {@code params} (unknown keys
     * are then rejected for you) and report bad values with {@link SchemeParams#invalid}.
     */
    RewardScheme create(SchemeParams params);
}
