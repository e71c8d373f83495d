package dev.carrot.experiments.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carrot.common.ConfigException;
import dev.carrot.evaluation.dataset.PromptDatasets;
import dev.carrot.evaluation.dataset.PromptRecord;
import dev.carrot.experiments.calibration.world.WorldWriter;
import dev.carrot.rollout.RolloutServiceFactory;
import dev.carrot.trainer.job.TrainingReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibration experiment at toy scale ({@code configs/smoke.yaml}): every stage, and a rerun that reuses them. */
class CalibrationJobTest {

    @TempDir
    Path out;

    private String run() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new CalibrationJob(Path.of("../configs/smoke.yaml"), out, List.of(), false, RolloutServiceFactory.local(),
                new PrintStream(log, true)).run();
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void thePipelineRunsEveryStageAndItsRlStageReadsTheWorldsPromptFile() throws Exception {
        String first = run();
        for (String stage : List.of("== pretrain", "== sft", "== evaluate the base policy", "== ppo",
                "== evaluate the trained policy")) {
            assertTrue(first.contains(stage), stage + " in\n" + first);
        }
        // The RL split is an ordinary prompt dataset, the gold answer first, the world's fields as metadata.
        List<PromptRecord> prompts = PromptDatasets.read(out.resolve("world").resolve(WorldWriter.RL));
        assertFalse(prompts.isEmpty());
        assertTrue(prompts.stream().allMatch(p -> !p.references().isEmpty() && p.metadata().containsKey("tier")));
        JsonNode report = new ObjectMapper().readTree(out.resolve(TrainingReport.JSON_FILE).toFile());
        assertTrue(report.has("before") && report.has("after"), report.toString());
        assertTrue(Files.isRegularFile(out.resolve("policy").resolve("model.safetensors")));

        String second = run();
        assertFalse(second.contains("== pretrain") || second.contains("== ppo"), "finished stages are reused:\n"
                + second);
        JsonNode again = new ObjectMapper().readTree(out.resolve(TrainingReport.JSON_FILE).toFile());
        assertEquals(report.get("after"), again.get("after"), "the reused stages give the same report");
    }

    @Test
    void anSftWindowLongerThanTheContextIsRefusedBeforeAnyWork() throws Exception {
        Path job = out.resolve("job.yaml");
        Files.writeString(job, Files.readString(Path.of("../configs/smoke.yaml"))
                .replace("  max_length: 96", "  max_length: 100000"));
        Path runs = out.resolve("run");
        ConfigException e = assertThrows(ConfigException.class, () -> new CalibrationJob(job, runs, List.of(),
                false, RolloutServiceFactory.local(), new PrintStream(new ByteArrayOutputStream())).run());
        assertEquals(job + ": sft.max_length: expected at most pretrain.context_length (96), got 100000",
                e.getMessage());
        assertFalse(Files.exists(runs), "nothing written");
    }

    @Test
    void aMisspeltSectionAndKeysTheJobWouldIgnoreAreRefused() throws Exception {
        String smoke = Files.readString(Path.of("../configs/smoke.yaml"));
        Path job = out.resolve("job.yaml");
        Files.writeString(job, smoke + "ppoo:\n  iterations: 3\n");
        assertEquals(job + ": unknown section 'ppoo' (did you mean 'ppo'?); a calibration job has eval, ppo, pretrain,"
                + " reward, rollout, sft, world", refusal(job));
        Files.writeString(job, smoke.replace("pretrain:\n", "pretrain:\n  corpus: no/such/file.txt\n"));
        assertEquals(job + ": pretrain.corpus: not used here (the calibration job pretrains on its world's corpus;"
                + " `carrot pretrain` takes your own)", refusal(job));
    }

    private String refusal(Path job) {
        Path runs = out.resolve("refused");
        ConfigException e = assertThrows(ConfigException.class, () -> new CalibrationJob(job, runs, List.of(), false,
                RolloutServiceFactory.local(), new PrintStream(new ByteArrayOutputStream())).run());
        assertFalse(Files.exists(runs), "nothing written");
        return e.getMessage();
    }
}
