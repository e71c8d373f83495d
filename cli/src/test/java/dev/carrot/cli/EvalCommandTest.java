package dev.carrot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carrot.experiments.calibration.world.CalibrationWorld;
import dev.carrot.experiments.calibration.world.WorldConfig;
import dev.carrot.experiments.calibration.world.WorldGenerator;
import dev.carrot.experiments.calibration.world.WorldWriter;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tokenizer.BpeTrainer;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void evaluatesACheckpointOnTheWorldsQuestionsAndWritesTheReport() throws Exception {
        CalibrationWorld world = WorldGenerator.generate(WorldConfig.smoke());
        WorldWriter.write(world, dir.resolve("world"));
        Tokenizer tokenizer = new BpeTrainer(320).train(world.corpus());
        GptConfig config = new GptConfig(tokenizer.vocabSize(), 64, 16, 1, 2, true, false);
        PolicyCheckpoint.save(new Policy(new Gpt(GptParameters.initialized(config, 1), new JavaKernels()), tokenizer),
                dir.resolve("model"));

        int status = CarrotCommand.commandLine().execute("eval", "--model", dir.resolve("model").toString(),
                "--dataset", dir.resolve("world/eval.jsonl").toString(), "--out", dir.resolve("report").toString(),
                "--max-new-tokens", "8");
        assertEquals(0, status);

        JsonNode report = new ObjectMapper().readTree(dir.resolve("report/report.json").toFile());
        JsonNode overall = report.path("metrics").path("overall");
        for (String key : List.of("n", "correct", "incorrect", "not_attempted", "hedged", "hallucination_rate",
                "accuracy", "answer_rate", "hedge_rate", "abstain_rate", "mean_reward", "ece", "brier", "auroc")) {
            assertTrue(overall.has(key), "overall lacks " + key);
        }
        assertEquals(world.items(dev.carrot.experiments.calibration.world.Split.EVAL).size(), overall.path("n").asInt());
        assertTrue(report.path("metrics").path("by_tier").has("well_known"));
        for (String file : List.of("report.md", "report.html", "graded.jsonl", "reliability.png")) {
            assertTrue(Files.size(dir.resolve("report").resolve(file)) > 0, file);
        }
    }

    @Test
    void aMissingCheckpointIsOneClearLine() {
        CommandLine cli = CarrotCommand.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        int status = cli.execute("eval", "--model", dir.resolve("nothing").toString(), "--dataset",
                dir.resolve("none.jsonl").toString(), "--out", dir.resolve("r").toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains("none.jsonl") && !err.toString().contains("\tat "), err.toString());
    }
}
