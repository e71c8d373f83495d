package dev.carrot.experiments.calibration.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import dev.carrot.common.ConfigBinder;
import dev.carrot.evaluation.io.Json;
import dev.carrot.rewards.grading.Style;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Writes a world to a folder: {@value #CORPUS}, {@value #SFT}, {@value #RL}, {@value #EVAL} and {@value #WORLD}.
 * Each file is replaced atomically; {@value #WORLD} is written last, so its presence marks a complete world.
 * The fields of every file are documented in {@code docs/world.md}.
 */
public final class WorldWriter {

    public static final String CORPUS = "corpus.txt";
    public static final String SFT = "sft.jsonl";
    public static final String RL = "rl.jsonl";
    public static final String EVAL = "eval.jsonl";
    public static final String WORLD = "world.json";
    /** The files' layout, raised when it changes so that a job does not reuse a world written in an older one. */
    public static final int FORMAT = 2;

    private static final ObjectMapper JSON = Json.MAPPER;

    private WorldWriter() {}

    public static void write(CalibrationWorld world, Path folder) throws IOException {
        AtomicFiles.writeString(folder.resolve(CORPUS), String.join("\n", world.corpus()) + "\n");
        AtomicFiles.writeString(folder.resolve(SFT), Json.lines(world.sft(), WorldWriter::sftRow));
        AtomicFiles.writeString(folder.resolve(RL), Json.lines(world.items(Split.RL), WorldWriter::promptRow));
        AtomicFiles.writeString(folder.resolve(EVAL), Json.lines(world.items(Split.EVAL), WorldWriter::questionRow));
        AtomicFiles.writeString(folder.resolve(WORLD), Json.pretty(description(world)));
    }

    /** {@code {"id","prompt","completion","style","tier","family","answer"}} */
    static ObjectNode sftRow(SftRecord example) {
        WorldItem item = example.item();
        ObjectNode row = JSON.createObjectNode();
        row.put("id", item.id());
        row.put("prompt", example.prompt());
        row.put("completion", example.completion());
        row.put("style", styleKey(example.style()));
        row.put("tier", item.tier().key());
        row.put("family", item.family().key());
        row.put("answer", item.answer());
        return row;
    }

    /**
     * {@code {"id","question","answers","tier","family","entity"}}: a prompt dataset as any RL job reads it, the gold
     * answer first in {@code answers}, then its aliases; the other fields reach the reward as metadata.
     */
    static ObjectNode promptRow(WorldItem item) {
        return itemRow(item, row -> {
            ArrayNode answers = row.putArray("answers");
            item.evalItem().references().forEach(answers::add);
        });
    }

    /** {@code {"id","question","prompt","answer","aliases","tier","family","entity"}} */
    static ObjectNode questionRow(WorldItem item) {
        return itemRow(item, row -> {
            row.put("prompt", item.prompt());
            row.put("answer", item.answer());
            ArrayNode aliases = row.putArray("aliases");
            item.aliases().forEach(aliases::add);
        });
    }

    /** The item's id and question, then what {@code reference} writes, then its tier, family and entity. */
    private static ObjectNode itemRow(WorldItem item, Consumer<ObjectNode> reference) {
        ObjectNode row = JSON.createObjectNode();
        row.put("id", item.id());
        row.put("question", item.question());
        reference.accept(row);
        row.put("tier", item.tier().key());
        row.put("family", item.family().key());
        row.put("entity", item.entity());
        return row;
    }

    private static ObjectNode description(CalibrationWorld world) {
        ObjectNode root = JSON.createObjectNode();
        root.set("config", ConfigBinder.mapper().valueToTree(world.config()));
        root.set("summary", summary(world));
        ArrayNode entities = root.putArray("entities");
        for (Entity entity : world.entities()) {
            ObjectNode node = entities.addObject();
            node.put("id", entity.id());
            node.put("kind", entity.kind().key());
            node.put("name", entity.name());
            node.put("split", entity.split().key());
            ArrayNode facts = node.putArray("facts");
            world.facts().stream().filter(fact -> fact.entity().equals(entity)).forEach(fact -> {
                ObjectNode factNode = facts.addObject();
                factNode.put("id", fact.id());
                factNode.put("relation", fact.relation().key());
                factNode.put("question", fact.question());
                factNode.put("answer", fact.answer());
                factNode.put("tier", fact.tier().key());
                factNode.put("statements", fact.statements());
            });
        }
        ArrayNode problems = root.putArray("arithmetic");
        world.items().stream().filter(item -> item.family() == Family.ARITHMETIC).forEach(item -> {
            ObjectNode node = problems.addObject();
            node.put("id", item.id());
            node.put("expression", item.entity());
            node.put("answer", item.answer());
            node.put("tier", item.tier().key());
            node.put("split", item.split().key());
        });
        return root;
    }

    private static ObjectNode summary(CalibrationWorld world) {
        ObjectNode summary = JSON.createObjectNode();
        ObjectNode entities = summary.putObject("entities");
        ObjectNode questions = summary.putObject("questions");
        for (Split split : Split.values()) {
            entities.put(split.key(), world.entities().stream().filter(entity -> entity.split() == split).count());
            ObjectNode perTier = questions.putObject(split.key());
            for (Tier tier : Tier.values()) {
                perTier.put(tier.key(), world.items(split).stream().filter(item -> item.tier() == tier).count());
            }
        }
        ObjectNode sft = summary.putObject("sft_examples");
        for (Tier tier : Tier.values()) {
            ObjectNode perStyle = sft.putObject(tier.key());
            for (Style style : List.of(Style.ANSWERED, Style.HEDGED, Style.ABSTAINED)) {
                perStyle.put(styleKey(style), world.sft().stream()
                        .filter(example -> example.item().tier() == tier && example.style() == style).count());
            }
        }
        ObjectNode corpus = summary.putObject("corpus");
        corpus.put("lines", world.corpus().size());
        corpus.put("bytes", world.corpus().stream()
                .mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length + 1L).sum());
        ObjectNode statements = corpus.putObject("fact_statements");
        for (Tier tier : List.of(Tier.WELL_KNOWN, Tier.RARE, Tier.UNSEEN)) {
            statements.put(tier.key(), world.facts().stream()
                    .filter(fact -> fact.tier() == tier).mapToInt(Fact::statements).sum());
        }
        corpus.put("worked_additions", world.workedAdditions());
        return summary;
    }

    /** {@code answered}, {@code hedged} or {@code abstained}. */
    static String styleKey(Style style) {
        return style.name().toLowerCase(Locale.ROOT);
    }
}
