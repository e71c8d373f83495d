package dev.carrot.experiments.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.common.ConfigBinder;
import dev.carrot.common.ConfigException;
import dev.carrot.experiments.calibration.world.CalibrationWorld;
import dev.carrot.experiments.calibration.world.SftRecord;
import dev.carrot.experiments.calibration.world.WorldConfig;
import dev.carrot.experiments.calibration.world.WorldGenerator;
import dev.carrot.rewards.grading.Style;
import dev.carrot.trainer.pretrain.PretrainConfig;
import dev.carrot.trainer.pretrain.SftMix;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobWorldTest {

    private static final CalibrationWorld WORLD = WorldGenerator.generate(WorldConfig.smoke());

    @Test
    void asWrittenAppendsEachSftExampleOnceInItsStyle() {
        List<String> documents = JobWorld.corpus(WORLD, SftMix.AS_WRITTEN);
        assertEquals(WORLD.corpus(), documents.subList(0, WORLD.corpus().size()));
        List<String> mixed = documents.subList(WORLD.corpus().size(), documents.size());
        assertEquals(WORLD.sft().stream().map(e -> e.prompt() + e.completion()).toList(), mixed);
        assertEquals(WORLD.corpus(), JobWorld.corpus(WORLD, SftMix.NONE));
    }

    @Test
    void everyStyleWritesEveryQuestionInEveryStyleAtTheSftRates() {
        List<String> documents = JobWorld.corpus(WORLD, SftMix.EVERY_STYLE);
        List<String> mixed = documents.subList(WORLD.corpus().size(), documents.size());
        assertEquals(4 * WORLD.sft().size(), mixed.size()); // 0.5 / 0.25 / 0.25 is 2 : 1 : 1
        SftRecord first = WORLD.sft().get(0);
        String answered = first.prompt() + new SftRecord(first.item(), Style.ANSWERED).completion();
        String hedged = first.prompt() + new SftRecord(first.item(), Style.HEDGED).completion();
        String abstained = first.prompt() + new SftRecord(first.item(), Style.ABSTAINED).completion();
        assertEquals(List.of(answered, answered, hedged, abstained), mixed.subList(0, 4));
        assertTrue(hedged.contains(first.item().answer()) && !abstained.contains(first.item().answer()));
    }

    @Test
    void includeSftReadsBooleansAndEveryStyleAndNamesTheFieldOtherwise() {
        assertEquals(SftMix.AS_WRITTEN, pretrain("include_sft: true").includeSft());
        assertEquals(SftMix.NONE, pretrain("include_sft: false").includeSft());
        assertEquals(SftMix.NONE, pretrain("steps: 10").includeSft());
        assertEquals(SftMix.EVERY_STYLE, pretrain("include_sft: every_style").includeSft());
        ConfigException error = assertThrows(ConfigException.class, () -> pretrain("include_sft: sometimes"));
        assertTrue(error.getMessage().contains("pretrain.include_sft"), error.getMessage());
        assertTrue(error.getMessage().contains("every_style"), error.getMessage());
    }

    private static PretrainConfig pretrain(String yaml) {
        try {
            JsonNode section = ConfigBinder.mapper().readTree(yaml);
            return ConfigBinder.bind(section, PretrainConfig.class, "job.yaml", "pretrain");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
