package dev.carrot.rewards;

import dev.carrot.rewards.config.ConfigLocation;
import dev.carrot.rewards.config.RewardConfigException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parameters a job config gives a named scheme ({@code params:} in YAML), as a
 * {@link RewardSchemeProvider provider} reads them: typed getters with defaults, whose errors name the file and
 * field ({@code job.yaml: reward.params.correct: expected a number, got "one"}).
 *
 * <p>The registry remembers which keys the provider asked for and, once the scheme is built, rejects any other key,
 * so a misspelt parameter fails the job instead of silently taking its default. A provider therefore reads every
 * parameter it supports, even when the default applies. One instance serves one {@code create} call.
 */
public final class SchemeParams {

    private final Map<String, Object> values;
    private final ConfigLocation location;
    private final Set<String> asked = new LinkedHashSet<>();

    /**
     * @param values   the parameters as read from YAML (see {@link ConfigLocation} for the value types)
     * @param location where the {@code params:} mapping is, for error messages
     */
    public SchemeParams(Map<String, Object> values, ConfigLocation location) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.location = Objects.requireNonNull(location, "location");
    }

    /** Parameters given in code, for tests and for building schemes without a config file. */
    public static SchemeParams of(Map<String, Object> values) {
        return new SchemeParams(values, ConfigLocation.inCode().field("params"));
    }

    public double number(String key, double fallback) {
        return present(key) ? location.field(key).number(values.get(key)) : fallback;
    }

    public int integer(String key, int fallback) {
        return present(key) ? location.field(key).integer(values.get(key)) : fallback;
    }

    public String text(String key, String fallback) {
        return present(key) ? location.field(key).text(values.get(key)) : fallback;
    }

    public boolean flag(String key, boolean fallback) {
        return present(key) ? location.field(key).flag(values.get(key)) : fallback;
    }

    /** An error about parameter {@code key}, for checks of range or consistency the provider makes itself. */
    public RewardConfigException invalid(String key, String message) {
        return location.field(key).error(message);
    }

    /** Where the parameters were given. */
    public ConfigLocation location() {
        return location;
    }

    /** Fails on any given key the provider of {@code scheme} did not ask for. */
    void rejectUnasked(String scheme) {
        for (String key : values.keySet()) {
            if (!asked.contains(key)) {
                throw invalid(key, asked.isEmpty()
                        ? "unknown parameter: " + scheme + " takes none"
                        : "unknown parameter of " + scheme + " (it takes " + ConfigLocation.oneOf(asked) + ")");
            }
        }
    }

    private boolean present(String key) {
        asked.add(key);
        return values.containsKey(key);
    }
}
