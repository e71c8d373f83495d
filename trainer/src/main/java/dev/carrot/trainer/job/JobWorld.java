package dev.carrot.trainer.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.evaluation.world.CalibrationWorld;
import dev.carrot.evaluation.world.WorldConfig;
import dev.carrot.evaluation.world.WorldGenerator;
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

    /** Copies of one SFT question in all styles together, at most, under {@link SftMix#EVERY_STYLE}. */
    private static final int MAX_COPIES = 12;

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
                WorldConfig.SftStyles rates = world.config().sftStyles();
                int[] copies = wholeRatio(rates.answer(), rates.hedge(), rates.abstain());
                Style[] styles = {Style.ANSWERED, Style.HEDGED, Style.ABSTAINED};
                for (var example : world.sft()) {
                    for (int s = 0; s < styles.length; s++) {
                        String text = example.prompt() + new dev.carrot.evaluation.world.SftExample(example.item(),
                                styles[s]).completion();
                        documents.addAll(Collections.nCopies(copies[s], text));
                    }
                }
            }
        }
        return documents;
    }

    /**
     * The smallest whole numbers in the ratio of {@code rates} (0.5 / 0.25 / 0.25 gives 2 / 1 / 1), looking no
     * further than {@value #MAX_COPIES} in all; rates with no such ratio are rounded at that many.
     */
    static int[] wholeRatio(double... rates) {
        for (int total = 1; total <= MAX_COPIES; total++) {
            int[] counts = new int[rates.length];
            boolean whole = true;
            for (int i = 0; i < rates.length; i++) {
                double scaled = rates[i] * total;
                counts[i] = (int) Math.round(scaled);
                whole &= Math.abs(scaled - counts[i]) < 1e-9;
            }
            if (whole) {
                return counts;
            }
        }
        int[] rounded = new int[rates.length];
        for (int i = 0; i < rates.length; i++) {
            rounded[i] = (int) Math.round(rates[i] * MAX_COPIES);
        }
        return rounded;
    }

    public static List<SftExample> sft(CalibrationWorld world) {
        return world.sft().stream().map(e -> new SftExample(e.prompt(), e.completion())).toList();
    }
}
