package dev.carrot.experiments.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.evaluation.dataset.QuestionFormat;
import dev.carrot.experiments.calibration.world.CalibrationWorld;
import dev.carrot.experiments.calibration.world.WorldConfig;
import dev.carrot.experiments.calibration.world.WorldGenerator;
import dev.carrot.rewards.grading.Style;
import dev.carrot.trainer.pretrain.SftMix;
import dev.carrot.trainer.sft.SftExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
     * The pretraining documents: one corpus statement each, followed by the SFT questions as {@code mix} says (the
     * trainer packs documents in the order given and samples windows at random).
     */
    public static List<String> corpus(CalibrationWorld world, SftMix mix) {
        List<String> documents = new ArrayList<>(world.corpus());
        switch (mix) {
            case NONE -> { }
            case AS_WRITTEN -> sft(world).forEach(e -> documents.add(e.prompt() + e.completion()));
            case EVERY_STYLE -> {
                int[] copies = world.config().sftStyles().copiesPerQuestion();
                Style[] styles = {Style.ANSWERED, Style.HEDGED, Style.ABSTAINED};
                for (var example : world.sft()) {
                    for (int s = 0; s < styles.length; s++) {
                        String text = example.prompt() + QuestionFormat.completion(styles[s], example.item().answer());
                        documents.addAll(Collections.nCopies(copies[s], text));
                    }
                }
            }
        }
        return documents;
    }

    public static List<SftExample> sft(CalibrationWorld world) {
        return world.sft().stream().map(e -> new SftExample(e.prompt(), e.completion())).toList();
    }
}
