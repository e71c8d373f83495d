package dev.carrot.trainer.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.evaluation.world.CalibrationWorld;
import dev.carrot.evaluation.world.WorldConfig;
import dev.carrot.evaluation.world.WorldGenerator;
import dev.carrot.trainer.sft.SftExample;
import java.nio.file.Path;
import java.util.List;

/**
 * The calibration world a job file describes in its {@code world:} section (all defaults when it has none). The
 * world is a pure function of its config and seed, so every stage regenerates the same one in about a second
 * instead of passing files around.
 */
public final class JobWorld {

    private JobWorld() {}

    public static CalibrationWorld generate(Path jobFile, JsonNode root) {
        JsonNode section = root.get("world");
        WorldConfig config = section == null ? WorldConfig.defaults()
                : WorldConfig.fromYaml(section, WorldConfig.defaults(), jobFile.toString());
        return WorldGenerator.generate(config);
    }

    /**
     * The pretraining documents: one corpus statement each, followed, with {@code includeSft}, by the SFT examples
     * as text (the trainer packs documents in the order given and samples windows at random).
     */
    public static List<String> corpus(CalibrationWorld world, boolean includeSft) {
        if (!includeSft) {
            return world.corpus();
        }
        List<String> documents = new java.util.ArrayList<>(world.corpus());
        for (SftExample e : sft(world)) {
            documents.add(e.prompt() + e.completion());
        }
        return documents;
    }

    public static List<SftExample> sft(CalibrationWorld world) {
        return world.sft().stream().map(e -> new SftExample(e.prompt(), e.completion())).toList();
    }
}
