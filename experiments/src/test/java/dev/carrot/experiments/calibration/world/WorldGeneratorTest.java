package dev.carrot.experiments.calibration.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.dataset.Datasets;
import dev.carrot.evaluation.dataset.QuestionFormat;
import dev.carrot.rewards.grading.AnswerFormat;
import dev.carrot.rewards.grading.Style;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldGeneratorTest {

    private static final List<String> FILES = List.of(WorldWriter.CORPUS, WorldWriter.SFT, WorldWriter.RL,
            WorldWriter.EVAL, WorldWriter.WORLD);

    /** Larger than the smoke preset so that every property is exercised on many facts, yet generated in milliseconds. */
    private static final WorldConfig CONFIG = new WorldConfig(5,
            new WorldConfig.Entities(20, 30, 25),
            new WorldConfig.Tiers(0.5, 0.25, 0.25),
            new WorldConfig.Splits(0.4, 0.3, 0.3),
            new WorldConfig.Repetitions(new WorldConfig.Range(6, 9), new WorldConfig.Range(1, 2)),
            new WorldConfig.SftStyles(0.5, 0.25, 0.25),
            new WorldConfig.Arithmetic(40, 40, 500));

    private final CalibrationWorld world = WorldGenerator.generate(CONFIG);

    @TempDir
    Path folder;

    @Test
    void sameSeedWritesIdenticalFiles() throws IOException {
        WorldWriter.write(WorldGenerator.generate(CONFIG), folder.resolve("a"));
        WorldWriter.write(WorldGenerator.generate(CONFIG), folder.resolve("b"));
        for (String file : FILES) {
            assertArrayEquals(Files.readAllBytes(folder.resolve("a").resolve(file)),
                    Files.readAllBytes(folder.resolve("b").resolve(file)), file);
        }
    }

    @Test
    void differentSeedsWriteDifferentFiles() throws IOException {
        WorldWriter.write(WorldGenerator.generate(CONFIG), folder.resolve("a"));
        WorldWriter.write(WorldGenerator.generate(CONFIG.withSeed(6)), folder.resolve("b"));
        for (String file : FILES) {
            assertFalse(Arrays.equals(Files.readAllBytes(folder.resolve("a").resolve(file)),
                    Files.readAllBytes(folder.resolve("b").resolve(file))), file);
        }
    }

    @Test
    void splitsShareNoEntityAndNoArithmeticProblem() {
        Map<String, Set<Split>> splitsOfEntity = world.items().stream().collect(Collectors.groupingBy(
                WorldItem::entity, Collectors.mapping(WorldItem::split, Collectors.toSet())));
        splitsOfEntity.forEach((entity, splits) -> assertEquals(1, splits.size(), entity + " is in " + splits));
        // An addition asked in one order must not be asked in the other order elsewhere either.
        Set<String> unorderedProblems = new HashSet<>();
        world.items().stream().filter(item -> item.family() == Family.ARITHMETIC).forEach(item -> {
            int[] operands = Arrays.stream(item.id().split("-")).skip(1).mapToInt(Integer::parseInt).sorted().toArray();
            assertTrue(unorderedProblems.add(item.tier() + " " + operands[0] + " " + operands[1]), item.id());
        });
    }

    @Test
    void everySplitHoldsEveryTierInTheConfiguredProportions() {
        for (Split split : Split.values()) {
            List<WorldItem> items = world.items(split);
            long facts = items.stream().filter(item -> item.family() == Family.FACT).count();
            int[] expected = Allocation.proportional((int) facts, CONFIG.tiers().fractions());
            assertEquals(expected[0], count(items, Tier.WELL_KNOWN), split + " well_known");
            assertEquals(expected[1], count(items, Tier.RARE), split + " rare");
            assertEquals(expected[2], count(items, Tier.UNSEEN), split + " unseen");
            assertEquals(CONFIG.problemsPerSplit(Operation.ADD)[split.ordinal()], count(items, Tier.ARITHMETIC_EASY));
            assertEquals(CONFIG.problemsPerSplit(Operation.MULTIPLY)[split.ordinal()], count(items, Tier.ARITHMETIC_HARD));
            for (Tier tier : Tier.values()) {
                assertTrue(count(items, tier) > 0, split + " lacks " + tier);
            }
        }
        assertEquals(2 * (20 + 30 + 25), world.facts().size());
    }

    @Test
    void eachFactIsStatedInTheCorpusAsOftenAsItsTierSays() {
        for (Fact fact : world.facts()) {
            long statements = world.corpus().stream().filter(line -> states(line, fact)).count();
            assertEquals(fact.statements(), statements, fact.id());
            switch (fact.tier()) {
                case WELL_KNOWN -> assertTrue(statements >= 6 && statements <= 9, fact.id() + ": " + statements);
                case RARE -> assertTrue(statements >= 1 && statements <= 2, fact.id() + ": " + statements);
                default -> assertEquals(0, statements, fact.id());
            }
        }
    }

    @Test
    void wellKnownFactsAreStatedInSeveralParaphrases() {
        for (Fact fact : world.facts()) {
            if (fact.tier() == Tier.WELL_KNOWN) {
                long distinct = world.corpus().stream().filter(line -> states(line, fact)).distinct().count();
                assertEquals(Math.min(fact.statements(), fact.relation().paraphrases()), distinct, fact.id());
            }
        }
    }

    @Test
    void unseenAnswersAppearNowhereTheModelTrains() throws IOException {
        WorldWriter.write(world, folder);
        String corpus = Files.readString(folder.resolve(WorldWriter.CORPUS));
        String sft = Files.readString(folder.resolve(WorldWriter.SFT));
        for (Fact fact : world.facts()) {
            if (fact.tier() != Tier.UNSEEN) {
                continue;
            }
            if (fact.relation().answerKind() == Relation.AnswerKind.YEAR) {
                // Years recur across people; what must never occur is this person next to this year.
                for (String text : List.of(corpus, sft)) {
                    text.lines().forEach(line -> assertFalse(line.contains(fact.entity().name())
                            && line.contains(fact.answer()), fact.id() + " leaks in: " + line));
                }
            } else {
                Pattern word = Pattern.compile("\\b" + Pattern.quote(fact.answer()) + "\\b");
                assertFalse(word.matcher(corpus).find(), fact.id() + " answer in corpus");
                assertFalse(word.matcher(sft).find(), fact.id() + " answer in SFT");
            }
        }
    }

    @Test
    void heldOutEntitiesAreNeverAskedInSftOrRl() throws IOException {
        WorldWriter.write(world, folder);
        String sft = Files.readString(folder.resolve(WorldWriter.SFT));
        String rl = Files.readString(folder.resolve(WorldWriter.RL));
        for (WorldItem item : world.items(Split.EVAL)) {
            if (item.family() == Family.FACT) {
                assertFalse(sft.contains(item.entity()), item.entity() + " in SFT");
                assertFalse(rl.contains(item.entity()), item.entity() + " in RL");
            } else {
                assertFalse(sft.contains(item.question()), item.question() + " in SFT");
                assertFalse(rl.contains(item.question()), item.question() + " in RL");
            }
        }
    }

    @Test
    void askedAdditionsAreNeverWorkedAndNoMultiplicationIs() {
        Set<String> worked = world.corpus().stream().filter(line -> line.matches("^\\d.*|^The sum of.*"))
                .map(line -> Arrays.stream(line.replaceAll("[^0-9]+", " ").trim().split(" "))
                        .limit(2).mapToInt(Integer::parseInt).sorted()
                        .mapToObj(Integer::toString).collect(Collectors.joining("+")))
                .collect(Collectors.toSet());
        assertEquals(CONFIG.arithmetic().workedAdditions(), world.workedAdditions());
        long workedLines = world.corpus().stream().filter(line -> line.matches("^\\d.*|^The sum of.*")).count();
        assertEquals(CONFIG.arithmetic().workedAdditions(), workedLines);
        for (WorldItem item : world.items()) {
            if (item.tier() == Tier.ARITHMETIC_EASY) {
                int[] operands = Arrays.stream(item.entity().split(" \\+ ")).mapToInt(Integer::parseInt).sorted().toArray();
                assertFalse(worked.contains(operands[0] + "+" + operands[1]), item.entity() + " is worked in the corpus");
            }
        }
        assertTrue(world.corpus().stream().noneMatch(line -> line.contains("times")));
    }

    @Test
    void sftAsksOnlyTheSftSplitAndNeverAnUnseenFact() {
        assertFalse(world.sft().isEmpty());
        for (SftRecord example : world.sft()) {
            assertEquals(Split.SFT, example.item().split(), example.item().id());
            assertNotEquals(Tier.UNSEEN, example.item().tier(), example.item().id());
        }
        long expected = world.items(Split.SFT).stream().filter(item -> item.tier() != Tier.UNSEEN).count();
        assertEquals(expected, world.sft().size());
    }

    @Test
    void sftStylesHaveTheSameExactRatesInEveryTier() {
        for (Tier tier : Tier.values()) {
            if (tier == Tier.UNSEEN) {
                continue;
            }
            List<SftRecord> examples = world.sft().stream().filter(example -> example.item().tier() == tier).toList();
            Map<Style, Long> perStyle = examples.stream()
                    .collect(Collectors.groupingBy(SftRecord::style, Collectors.counting()));
            int[] expected = Allocation.proportional(examples.size(), CONFIG.sftStyles().fractions());
            assertEquals(expected[0], perStyle.getOrDefault(Style.ANSWERED, 0L), tier + " answered");
            assertEquals(expected[1], perStyle.getOrDefault(Style.HEDGED, 0L), tier + " hedged");
            assertEquals(expected[2], perStyle.getOrDefault(Style.ABSTAINED, 0L), tier + " abstained");
        }
    }

    @Test
    void sftExamplesUseTheSharedPromptAndAnswerFormats() {
        for (SftRecord example : world.sft()) {
            WorldItem item = example.item();
            assertEquals("Question: " + item.question() + "\nAnswer:", example.prompt());
            String expected = switch (example.style()) {
                case ANSWERED -> " " + item.answer() + ".";
                case HEDGED -> " I think it is " + item.answer() + ", but I am not sure.";
                default -> " " + AnswerFormat.ABSTENTION;
            };
            assertEquals(expected, example.completion());
            assertEquals(QuestionFormat.completion(example.style(), item.answer()), example.completion());
        }
    }

    @Test
    void questionsMirrorTheFirstParaphrase() {
        Fact capital = world.facts().stream().filter(fact -> fact.relation() == Relation.CAPITAL).findFirst().orElseThrow();
        String name = capital.entity().name();
        assertEquals("What is the capital of " + name + "?", capital.question());
        assertEquals("The capital of " + name + " is " + capital.answer() + ".", Relation.CAPITAL.statement(0, name,
                capital.answer()));
    }

    @Test
    void namesAreUniqueWordsAvoidingTemplateWords() {
        List<String> words = world.facts().stream()
                .flatMap(fact -> fact.relation().answerKind() == Relation.AnswerKind.YEAR
                        ? java.util.stream.Stream.of(fact.entity().name())
                        : java.util.stream.Stream.of(fact.entity().name(), fact.answer()))
                .distinct()
                .flatMap(name -> Arrays.stream(name.split(" ")))
                .toList();
        Map<String, Long> counts = words.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        counts.forEach((word, count) -> assertEquals(1L, count, word));
        Set<String> templateWords = Relation.templates()
                .flatMap(template -> Arrays.stream(template.split("[^A-Za-z]+"))).map(String::toLowerCase)
                .collect(Collectors.toSet());
        words.forEach(word -> assertFalse(templateWords.contains(word.toLowerCase()), word));
    }

    @Test
    void productsAcceptThousandsSeparators() {
        WorldItem product = world.items().stream().filter(item -> item.tier() == Tier.ARITHMETIC_HARD).findFirst()
                .orElseThrow();
        long value = Long.parseLong(product.answer());
        assertEquals(List.of(String.format(java.util.Locale.ROOT, "%,d", value)), product.aliases());
    }

    @Test
    void defaultWorldHasTheDocumentedScale() {
        CalibrationWorld defaults = WorldGenerator.generate(WorldConfig.defaults());
        long bytes = defaults.corpus().stream().mapToLong(line -> line.length() + 1).sum();
        assertTrue(bytes > 200_000 && bytes < 1_000_000, "corpus bytes " + bytes);
        assertEquals(270, defaults.items(Split.EVAL).size());
        assertEquals(300, defaults.sft().size());
    }

    @Test
    void evaluationFileReadsBackAsTheHeldOutItems() throws java.io.IOException {
        WorldWriter.write(world, folder);
        Dataset dataset = Datasets.load(folder.resolve(WorldWriter.EVAL));
        assertEquals(world.items(Split.EVAL).stream().map(WorldItem::evalItem).toList(), dataset.items());
    }

    private static long count(List<WorldItem> items, Tier tier) {
        return items.stream().filter(item -> item.tier() == tier).count();
    }

    /** Whether a corpus line states {@code fact}: its subject and its answer, as whole words. */
    private static boolean states(String line, Fact fact) {
        return Pattern.compile("\\b" + Pattern.quote(fact.entity().name()) + "\\b").matcher(line).find()
                && Pattern.compile("\\b" + Pattern.quote(fact.answer()) + "\\b").matcher(line).find();
    }
}
