package dev.carrot.rewards;

import dev.carrot.rewards.config.ConfigLocation;
import dev.carrot.rewards.config.RewardConfig;
import dev.carrot.rewards.config.RewardConfigException;
import dev.carrot.rewards.config.SchemeSpec;
import dev.carrot.rewards.remote.RemoteRewardScheme;
import dev.carrot.rewards.schemes.BuiltInSchemes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reward schemes a job can name, and the builder that turns a {@link RewardConfig} into the scheme training
 * calls. Immutable: adding plugins makes a new registry.
 *
 * <pre>{@code
 * RewardSchemeRegistry registry = RewardSchemeRegistry.discover(pluginJars);   // built-ins, classpath, jars
 * GuardedScheme rewards = registry.build(RewardConfig.load(Path.of("job.yaml")));
 * List<Reward> scored = rewards.score(rollouts);
 * }</pre>
 */
public final class RewardSchemeRegistry {

    /** A provider and where it came from, for messages about name clashes and for {@code carrot rewards list}. */
    public record Entry(RewardSchemeProvider provider, String origin) {}

    private final Map<String, Entry> entries;

    private RewardSchemeRegistry(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** The built-in schemes only. */
    public static RewardSchemeRegistry builtIn() {
        RewardSchemeRegistry registry = new RewardSchemeRegistry(Map.of());
        for (RewardSchemeProvider provider : BuiltInSchemes.providers()) {
            registry = registry.with(provider, "built-in");
        }
        return registry;
    }

    /** The built-in schemes, those that jars on the classpath provide, and those in {@code pluginJars}. */
    public static RewardSchemeRegistry discover(List<Path> pluginJars) {
        RewardSchemeRegistry registry = builtIn();
        for (RewardSchemeProvider provider : RewardPlugins.onClasspath(RewardSchemeRegistry.class.getClassLoader())) {
            registry = registry.with(provider, "classpath");
        }
        for (Path jar : pluginJars) {
            registry = registry.withPlugin(jar);
        }
        return registry;
    }

    /** This registry plus the schemes that plugin {@code jar} provides. */
    public RewardSchemeRegistry withPlugin(Path jar) {
        RewardSchemeRegistry registry = this;
        for (RewardSchemeProvider provider : RewardPlugins.load(jar)) {
            registry = registry.with(provider, "plugin " + jar);
        }
        return registry;
    }

    /** This registry plus {@code provider}; {@code origin} says where it came from. */
    public RewardSchemeRegistry with(RewardSchemeProvider provider, String origin) {
        String name = provider.name();
        Entry existing = entries.get(name);
        if (existing != null) {
            throw new IllegalArgumentException("reward scheme '" + name + "' is defined twice: by "
                    + describe(existing) + " and by " + describe(new Entry(provider, origin)));
        }
        Map<String, Entry> more = new TreeMap<>(entries);
        more.put(name, new Entry(provider, origin));
        return new RewardSchemeRegistry(more);
    }

    /** Every registered scheme by name, sorted. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** Reads the reward section of {@code yaml} and builds it; see {@link #build}. */
    public GuardedScheme load(Path yaml) throws IOException {
        return build(RewardConfig.load(yaml));
    }

    /**
     * Builds what a reward section describes: the scheme plus its shaping terms, guarded by the failure policy.
     *
     * @throws RewardConfigException naming the file and field, for an unknown scheme or a bad parameter
     */
    public GuardedScheme build(RewardConfig config) {
        RewardScheme scheme = create(config.scheme());
        if (!config.shaping().isEmpty()) {
            List<WeightedSum.Term> terms = new ArrayList<>();
            terms.add(new WeightedSum.Term(1.0, scheme));
            for (SchemeSpec.Term shaping : config.shaping()) {
                terms.add(new WeightedSum.Term(shaping.weight(), create(shaping.scheme())));
            }
            scheme = new WeightedSum(terms);
        }
        return new GuardedScheme(scheme, config.onFailure());
    }

    /** Builds one spec, without a failure guard. */
    public RewardScheme create(SchemeSpec spec) {
        if (spec instanceof SchemeSpec.Named named) {
            return create(named);
        }
        if (spec instanceof SchemeSpec.Sum sum) {
            return new WeightedSum(sum.terms().stream()
                    .map(term -> new WeightedSum.Term(term.weight(), create(term.scheme())))
                    .toList());
        }
        SchemeSpec.Remote remote = (SchemeSpec.Remote) spec;
        return new RemoteRewardScheme(remote.url(), remote.timeout(), remote.retries(), remote.backoff());
    }

    private RewardScheme create(SchemeSpec.Named spec) {
        ConfigLocation at = spec.location();
        Entry entry = entries.get(spec.scheme());
        if (entry == null) {
            throw at.field("scheme").error("unknown reward scheme " + ConfigLocation.describe(spec.scheme())
                    + " (known: " + String.join(", ", entries.keySet())
                    + "; add schemes from a jar with --reward-plugin FILE.jar)");
        }
        SchemeParams params = new SchemeParams(spec.params(), at.field("params"));
        RewardScheme scheme;
        try {
            scheme = entry.provider().create(params);
        } catch (RewardConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw at.field("params").error(spec.scheme() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            String message = at.field("scheme").error("reward scheme '" + spec.scheme() + "' (" + entry.origin()
                    + ") failed to start: " + e).getMessage();
            throw new RewardConfigException(message, e);
        }
        if (scheme == null) {
            throw at.field("scheme").error("reward scheme '" + spec.scheme() + "' (" + entry.origin()
                    + ") created no scheme");
        }
        params.rejectUnasked(spec.scheme());
        return scheme;
    }

    private static String describe(Entry entry) {
        return entry.origin() + " (" + entry.provider().getClass().getName() + ")";
    }
}
