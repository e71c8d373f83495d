package dev.carrot.experiments.calibration.world;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.common.ConfigBinder;
import dev.carrot.common.ConfigException;
import dev.carrot.evaluation.config.ConfigChecks;
import java.nio.file.Path;

/**
 * Everything that shapes a calibration world. Two configs with the same values generate byte-identical worlds.
 * In YAML it is the {@code world:} section of a job config, with snake_case keys; fields a file leaves out keep the
 * values of {@link #defaults()} (see {@code configs/world.yaml}).
 *
 * @param seed        seeds every random choice: names, answers, splits, tiers, styles, corpus order
 * @param entities    how many fictional entities of each kind; each has one fact per relation of its kind (two)
 * @param tiers       the fraction of facts in each knowledge tier, applied exactly within every split
 * @param splits      the fraction of entities (and of arithmetic problems) in each split
 * @param repetitions how many times the corpus states a fact of each tier
 * @param sftStyles   the fraction of SFT examples written in each answer style, applied exactly within every tier
 * @param arithmetic  how many arithmetic problems are asked, and how many additions the corpus works
 */
public record WorldConfig(
        long seed,
        Entities entities,
        Tiers tiers,
        Splits splits,
        Repetitions repetitions,
        SftStyles sftStyles,
        Arithmetic arithmetic) {

    /**
     * @param countries each has a capital and a language
     * @param people    each has a birth year and a home town
     * @param cities    each has a river and a founder
     */
    public record Entities(int countries, int people, int cities) {
        public Entities {
            ConfigChecks.atLeast("countries", countries, 1);
            ConfigChecks.atLeast("people", people, 1);
            ConfigChecks.atLeast("cities", cities, 1);
        }

        public int of(EntityKind kind) {
            return switch (kind) {
                case COUNTRY -> countries;
                case PERSON -> people;
                case CITY -> cities;
            };
        }
    }

    /** Fractions of facts per knowledge tier; each above zero, summing to 1. */
    public record Tiers(double wellKnown, double rare, double unseen) {
        public Tiers {
            ConfigChecks.distribution(new String[] {"well_known", "rare", "unseen"}, new double[] {wellKnown, rare, unseen},
                    true);
        }

        /** The fractions in the order of {@link Tier#WELL_KNOWN}, {@link Tier#RARE}, {@link Tier#UNSEEN}. */
        double[] fractions() {
            return new double[] {wellKnown, rare, unseen};
        }
    }

    /** Fractions of entities and problems per split; each above zero, summing to 1. */
    public record Splits(double sft, double rl, double eval) {
        public Splits {
            ConfigChecks.distribution(new String[] {"sft", "rl", "eval"}, new double[] {sft, rl, eval}, true);
        }

        /** The fractions in the order of {@link Split#values()}. */
        double[] fractions() {
            return new double[] {sft, rl, eval};
        }
    }

    /** An inclusive range of counts; each fact draws its count uniformly from it. */
    public record Range(int min, int max) {
        public Range {
            ConfigChecks.atLeast("min", min, 0);
            ConfigChecks.atLeast("max", max, min);
        }
    }

    /**
     * @param wellKnown statements per well-known fact, spread evenly over the relation's paraphrases
     * @param rare      statements per rare fact; every value must stay below {@code well_known.min}
     */
    public record Repetitions(Range wellKnown, Range rare) {
        public Repetitions {
            ConfigChecks.notNull("well_known", wellKnown);
            ConfigChecks.notNull("rare", rare);
            ConfigChecks.atLeast("rare.min", rare.min(), 1);
            ConfigChecks.atLeast("well_known.min", wellKnown.min(), rare.max() + 1);
        }
    }

    /** Fractions of SFT answers stated plainly, hedged, or abstained; they do not depend on the tier. */
    public record SftStyles(double answer, double hedge, double abstain) {
        public SftStyles {
            ConfigChecks.distribution(new String[] {"answer", "hedge", "abstain"}, new double[] {answer, hedge, abstain},
                    false);
        }

        double[] fractions() {
            return new double[] {answer, hedge, abstain};
        }

        /**
         * Copies of one question per style, answered / hedged / abstained, in the ratio of these rates: the fewest
         * that give it exactly, up to 12 in all, else the nearest 12 (0.5 / 0.25 / 0.25 gives 2 / 1 / 1).
         */
        public int[] copiesPerQuestion() {
            return Allocation.smallestWholeRatio(12, fractions());
        }
    }

    /**
     * @param additions       distinct two-digit additions asked, over all splits
     * @param multiplications distinct three-digit multiplications asked, over all splits
     * @param workedAdditions distinct two-digit additions worked in the corpus, none of them an asked one
     */
    public record Arithmetic(int additions, int multiplications, int workedAdditions) {
        /** Unordered pairs of two-digit operands: 90 * 91 / 2. */
        static final int DISTINCT_ADDITIONS = Operation.ADD.operandValues() * (Operation.ADD.operandValues() + 1) / 2;
        /** Ordered pairs of two-digit operands. */
        static final int ORDERED_ADDITIONS = Operation.ADD.operandValues() * Operation.ADD.operandValues();

        public Arithmetic {
            ConfigChecks.atLeast("additions", additions, Split.values().length);
            ConfigChecks.atMost("additions", additions, DISTINCT_ADDITIONS, "distinct pairs of two-digit numbers");
            ConfigChecks.atLeast("multiplications", multiplications, Split.values().length);
            ConfigChecks.atLeast("worked_additions", workedAdditions, 0);
            // Each asked addition rules out both of its orders from the worked ones.
            ConfigChecks.atMost("worked_additions", workedAdditions, ORDERED_ADDITIONS - 2L * additions,
                    "ordered two-digit additions left after the asked ones");
        }

        public int of(Operation operation) {
            return switch (operation) {
                case ADD -> additions;
                case MULTIPLY -> multiplications;
            };
        }
    }

    public WorldConfig {
        ConfigChecks.notNull("entities", entities);
        ConfigChecks.notNull("tiers", tiers);
        ConfigChecks.notNull("splits", splits);
        ConfigChecks.notNull("repetitions", repetitions);
        ConfigChecks.notNull("sft_styles", sftStyles);
        ConfigChecks.notNull("arithmetic", arithmetic);
        for (Split split : Split.values()) {
            int facts = factsIn(split, entities, splits);
            int[] perTier = Allocation.proportional(facts, tiers.fractions());
            for (int tier = 0; tier < perTier.length; tier++) {
                if (perTier[tier] == 0) {
                    throw new IllegalArgumentException("entities: too few for every split to hold a fact of every "
                            + "tier: the " + split.key() + " split gets " + facts + " facts, none of them "
                            + Tier.values()[tier].key());
                }
            }
            for (Operation operation : Operation.values()) {
                if (perSplit(arithmetic.of(operation), splits)[split.ordinal()] == 0) {
                    throw new IllegalArgumentException("arithmetic: too few " + operation.key() + " problems for every "
                            + "split to get one; the " + split.key() + " split gets none");
                }
            }
        }
    }

    /** The defaults: a world a tiny GPT can pretrain on in minutes, with a few hundred held-out questions. */
    public static WorldConfig defaults() {
        return new WorldConfig(
                1,
                new Entities(80, 120, 100),
                new Tiers(0.5, 0.25, 0.25),
                new Splits(0.4, 0.3, 0.3),
                new Repetitions(new Range(12, 20), new Range(1, 2)),
                new SftStyles(0.5, 0.25, 0.25),
                new Arithmetic(150, 150, 3000));
    }

    /** A world small enough for a whole pretrain-SFT-RL-evaluate run in seconds: for tests, not for findings. */
    public static WorldConfig smoke() {
        return new WorldConfig(
                1,
                new Entities(6, 8, 6),
                new Tiers(0.5, 0.25, 0.25),
                new Splits(0.4, 0.3, 0.3),
                new Repetitions(new Range(3, 4), new Range(1, 1)),
                new SftStyles(0.5, 0.25, 0.25),
                new Arithmetic(12, 12, 100));
    }

    public WorldConfig withSeed(long newSeed) {
        return new WorldConfig(newSeed, entities, tiers, splits, repetitions, sftStyles, arithmetic);
    }

    /** Reads the {@code world:} section of a YAML file over {@code base}. */
    public static WorldConfig load(Path file, WorldConfig base) {
        JsonNode section = ConfigBinder.readTree(file).get("world");
        if (section == null) {
            throw new ConfigException(file + ": expected a 'world:' section");
        }
        return fromYaml(section, base, file.toString());
    }

    /** Binds an already parsed {@code world:} section, for job configs that hold one among others. */
    public static WorldConfig fromYaml(JsonNode section, WorldConfig base, String source) {
        return ConfigBinder.bind(section, base, WorldConfig.class, source, "world");
    }

    /** The number of entities of {@code kind} in each split, in the order of {@link Split#values()}. */
    int[] entitiesPerSplit(EntityKind kind) {
        return perSplit(entities.of(kind), splits);
    }

    /** The number of asked problems of {@code operation} in each split. */
    int[] problemsPerSplit(Operation operation) {
        return perSplit(arithmetic.of(operation), splits);
    }

    private static int[] perSplit(int total, Splits splits) {
        return Allocation.proportional(total, splits.fractions());
    }

    private static int factsIn(Split split, Entities entities, Splits splits) {
        int facts = 0;
        for (EntityKind kind : EntityKind.values()) {
            facts += perSplit(entities.of(kind), splits)[split.ordinal()] * kind.relations().size();
        }
        return facts;
    }
}
