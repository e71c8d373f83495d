package dev.carrot.experiments.calibration.world;

import dev.carrot.rewards.grading.Style;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates a {@link CalibrationWorld} from a {@link WorldConfig}, deterministically.
 *
 * <p>What the model can know is fixed by construction. A well-known fact is stated many times in the corpus, a rare
 * one once or twice, an unseen one nowhere; the SFT set asks only what the corpus states (or what arithmetic can
 * work out), so it never leaks an unseen answer. SFT answer styles are allocated at the same rates in every tier:
 * the fine-tuned base policy learns to answer, hedge and abstain, but not when.
 *
 * <p>Each stage draws from its own stream split off the seed, so that, for example, changing the number of worked
 * additions leaves the names and facts unchanged.
 */
public final class WorldGenerator {

    private static final Tier[] FACT_TIERS = {Tier.WELL_KNOWN, Tier.RARE, Tier.UNSEEN};
    private static final Style[] SFT_STYLES = {Style.ANSWERED, Style.HEDGED, Style.ABSTAINED};
    private static final int FIRST_BIRTH_YEAR = 1600;
    private static final int BIRTH_YEARS = 400;
    /** Products from this size on also accept a thousands-separated spelling. */
    private static final long GROUPED_FROM = 1000;

    private final WorldConfig config;
    private final NameGenerator names;
    private final SplittableRandom splitRandom;
    private final SplittableRandom answerRandom;
    private final SplittableRandom tierRandom;
    private final SplittableRandom arithmeticRandom;
    private final SplittableRandom corpusRandom;
    private final SplittableRandom styleRandom;

    private WorldGenerator(WorldConfig config) {
        this.config = config;
        SplittableRandom root = new SplittableRandom(config.seed());
        this.names = new NameGenerator(root.split());
        this.splitRandom = root.split();
        this.answerRandom = root.split();
        this.tierRandom = root.split();
        this.arithmeticRandom = root.split();
        this.corpusRandom = root.split();
        this.styleRandom = root.split();
    }

    public static CalibrationWorld generate(WorldConfig config) {
        return new WorldGenerator(config).generate();
    }

    private CalibrationWorld generate() {
        List<Entity> entities = entities();
        List<Fact> facts = facts(entities);
        List<WorldItem> items = new ArrayList<>();
        facts.forEach(fact -> items.add(item(fact)));
        Set<Long> askedAdditions = new HashSet<>();
        for (Operation operation : Operation.values()) {
            items.addAll(problems(operation, askedAdditions));
        }
        List<int[]> worked = workedAdditions(askedAdditions);
        return new CalibrationWorld(config, entities, facts, items, corpus(facts, worked), sft(items), worked.size());
    }

    private List<Entity> entities() {
        List<Entity> entities = new ArrayList<>();
        for (EntityKind kind : EntityKind.values()) {
            List<Split> splits = shuffled(labels(Split.values(), config.entitiesPerSplit(kind)), splitRandom);
            for (int i = 0; i < splits.size(); i++) {
                String name = switch (kind) {
                    case COUNTRY -> names.country();
                    case PERSON -> names.person();
                    case CITY -> names.place();
                };
                entities.add(new Entity(String.format(Locale.ROOT, "%s-%03d", kind.key(), i + 1), kind, name,
                        splits.get(i)));
            }
        }
        return entities;
    }

    /** One fact per entity and relation; tiers are allocated exactly within each split. */
    private List<Fact> facts(List<Entity> entities) {
        List<Fact> facts = new ArrayList<>();
        for (Split split : Split.values()) {
            List<Entity> members = entities.stream().filter(entity -> entity.split() == split).toList();
            int count = members.stream().mapToInt(entity -> entity.kind().relations().size()).sum();
            List<Tier> tiers = shuffled(labels(FACT_TIERS, Allocation.proportional(count, config.tiers().fractions())),
                    tierRandom);
            int next = 0;
            for (Entity entity : members) {
                for (Relation relation : entity.kind().relations()) {
                    Tier tier = tiers.get(next++);
                    facts.add(new Fact(entity.id() + "/" + relation.key(), entity, relation, answer(relation), tier,
                            statements(tier)));
                }
            }
        }
        return facts;
    }

    private String answer(Relation relation) {
        return switch (relation.answerKind()) {
            case PLACE -> names.place();
            case LANGUAGE -> names.language();
            case PERSON -> names.person();
            case YEAR -> Integer.toString(FIRST_BIRTH_YEAR + answerRandom.nextInt(BIRTH_YEARS));
        };
    }

    /** How many times the corpus states a fact of {@code tier}, drawn from the tier's repetition range. */
    private int statements(Tier tier) {
        if (tier == Tier.UNSEEN) {
            return 0;
        }
        WorldConfig.Range range = tier == Tier.WELL_KNOWN ? config.repetitions().wellKnown()
                : config.repetitions().rare();
        return range.min() + tierRandom.nextInt(range.max() - range.min() + 1);
    }

    private static WorldItem item(Fact fact) {
        return new WorldItem(fact.id(), Family.FACT, fact.tier(), fact.entity().split(), fact.entity().name(),
                fact.question(), fact.answer(), List.of());
    }

    /**
     * Distinct problems (an unordered operand pair is asked at most once), allocated exactly to the splits.
     *
     * @param askedAdditions receives the unordered operand pairs of asked additions, which the corpus must not work
     */
    private List<WorldItem> problems(Operation operation, Set<Long> askedAdditions) {
        List<Split> splits = shuffled(labels(Split.values(), config.problemsPerSplit(operation)), arithmeticRandom);
        Set<Long> asked = operation == Operation.ADD ? askedAdditions : new HashSet<>();
        List<WorldItem> problems = new ArrayList<>();
        for (Split split : splits) {
            int a;
            int b;
            do {
                a = operand(operation);
                b = operand(operation);
            } while (!asked.add(unorderedKey(a, b)));
            long result = operation.apply(a, b);
            List<String> aliases = result >= GROUPED_FROM ? List.of(String.format(Locale.ROOT, "%,d", result))
                    : List.of();
            problems.add(new WorldItem(operation.key() + "-" + a + "-" + b, Family.ARITHMETIC, operation.tier(), split,
                    operation.expression(a, b), operation.question(a, b), Long.toString(result), aliases));
        }
        return problems;
    }

    private int operand(Operation operation) {
        return operation.minOperand() + arithmeticRandom.nextInt(operation.operandValues());
    }

    /** Ordered additions for the corpus to work, avoiding both orders of every asked addition. */
    private List<int[]> workedAdditions(Set<Long> askedAdditions) {
        List<int[]> candidates = new ArrayList<>();
        for (int a = Operation.ADD.minOperand(); a <= Operation.ADD.maxOperand(); a++) {
            for (int b = Operation.ADD.minOperand(); b <= Operation.ADD.maxOperand(); b++) {
                if (!askedAdditions.contains(unorderedKey(a, b))) {
                    candidates.add(new int[] {a, b});
                }
            }
        }
        return shuffled(candidates, arithmeticRandom).subList(0, config.arithmetic().workedAdditions());
    }

    private static long unorderedKey(int a, int b) {
        return (long) Math.min(a, b) << 32 | Math.max(a, b);
    }

    /**
     * Each fact stated {@link Fact#statements()} times, cycling through its relation's paraphrases in a random order
     * so repetitions are spread over all of them; each worked addition once; then all lines shuffled.
     */
    private List<String> corpus(List<Fact> facts, List<int[]> workedAdditions) {
        List<String> lines = new ArrayList<>();
        for (Fact fact : facts) {
            List<Integer> order = shuffled(indices(fact.relation().paraphrases()), corpusRandom);
            for (int i = 0; i < fact.statements(); i++) {
                lines.add(fact.relation().statement(order.get(i % order.size()), fact.entity().name(), fact.answer()));
            }
        }
        for (int[] addition : workedAdditions) {
            int paraphrase = corpusRandom.nextInt(Operation.ADD.paraphrases());
            lines.add(Operation.ADD.statement(paraphrase, addition[0], addition[1]));
        }
        return shuffled(lines, corpusRandom);
    }

    /**
     * The SFT split's questions except unseen facts (their answers must stay out of training), each written in one
     * style. Styles are allocated exactly per tier, so the style is independent of what the model could know.
     */
    private List<SftRecord> sft(List<WorldItem> items) {
        List<SftRecord> examples = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            if (tier == Tier.UNSEEN) {
                continue;
            }
            List<WorldItem> members = items.stream()
                    .filter(item -> item.split() == Split.SFT && item.tier() == tier).toList();
            int[] perStyle = Allocation.proportional(members.size(), config.sftStyles().fractions());
            List<Style> styles = shuffled(labels(SFT_STYLES, perStyle), styleRandom);
            for (int i = 0; i < members.size(); i++) {
                examples.add(new SftRecord(members.get(i), styles.get(i)));
            }
        }
        return shuffled(examples, styleRandom);
    }

    /** {@code counts[i]} copies of {@code values[i]}, in order. */
    private static <T> List<T> labels(T[] values, int[] counts) {
        List<T> labels = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            labels.addAll(Collections.nCopies(counts[i], values[i]));
        }
        return labels;
    }

    private static List<Integer> indices(int count) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            indices.add(i);
        }
        return indices;
    }

    /** A Fisher-Yates shuffled copy; {@link Collections#shuffle} needs a {@link java.util.Random}. */
    private static <T> List<T> shuffled(List<T> values, SplittableRandom random) {
        List<T> copy = new ArrayList<>(values);
        for (int i = copy.size() - 1; i > 0; i--) {
            Collections.swap(copy, i, random.nextInt(i + 1));
        }
        return copy;
    }
}
