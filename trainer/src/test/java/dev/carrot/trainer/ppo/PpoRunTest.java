package dev.carrot.trainer.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carrot.evaluation.dataset.PromptRecord;
import dev.carrot.policy.Policy;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tokenizer.BpeTrainer;
import dev.carrot.policy.tokenizer.Tokenizer;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.Rollout;
import dev.carrot.rollout.LocalRolloutService;
import dev.carrot.rollout.RolloutConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoRunTest {

    @TempDir
    Path dir;

    /** A toy incentive any policy can discover by chance: start the completion with an even token id. */
    private static final RewardScheme EVEN_FIRST_TOKEN = new RewardScheme() {
        @Override
        public String name() {
            return "even-first-token";
        }

        @Override
        public List<Reward> score(List<Rollout> rollouts) {
            return rollouts.stream().map(r -> Reward.of("even", r.completionTokens()[0] % 2 == 0 ? 1.0 : 0.0, null))
                    .toList();
        }
    };

    private static Policy tinyPolicy() {
        Tokenizer tokenizer = new BpeTrainer(300).train(List.of("What is the capital of Varnelia? Tolmar.",
                "Who founded Kellin? Brumo.", "What is 12 + 35? 47."));
        GptConfig config = new GptConfig(tokenizer.vocabSize(), 48, 16, 1, 2, true, false);
        return new Policy(new Gpt(GptParameters.initialized(config, 5).withValueHead(), new JavaKernels()), tokenizer);
    }

    private static RlPrompts prompts() {
        List<PromptRecord> records = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            records.add(new PromptRecord("q" + i, "Question: What is " + i + " + " + (i + 3) + "?\nAnswer:",
                    List.of(Integer.toString(2 * i + 3)), Map.of()));
        }
        return new RlPrompts(records, List.of("\n"));
    }

    private static PpoConfig config(int iterations) {
        // One-token completions: the reward's credit lands on the action that earned it.
        return PpoConfig.builder().iterations(iterations).promptsPerIteration(16).epochs(4).minibatchSize(8)
                .learningRate(1e-2).klCoef(0.0).targetKl(0.0).maxNewTokens(1).evalEvery(0).checkpointEvery(1).seed(7L)
                .build();
    }

    private static Policy train(PpoConfig config, Policy start, Path runDir) throws Exception {
        Gpt reference = new Gpt(start.model().parameters().copy(), new JavaKernels());
        RolloutConfig rolloutConfig = new RolloutConfig(2, 8, 60_000, 2);
        try (LocalRolloutService rollouts = LocalRolloutService.start(start, rolloutConfig)) {
            return PpoRun.run(config, start, reference, rollouts, EVEN_FIRST_TOKEN, prompts(), runDir,
                    p -> Map.of(), line -> { });
        }
    }

    private static List<JsonNode> metrics(Path runDir) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve(PpoRun.METRICS))) {
            lines.add(new ObjectMapper().readTree(line));
        }
        return lines;
    }

    @Test
    void ppoRaisesTheRewardOfAToyIncentiveAndChangesTheWeights() throws Exception {
        Policy start = tinyPolicy();
        float[] before = start.model().parameters().flat().toArray();
        Policy trained = train(config(12), start, dir.resolve("run"));

        List<JsonNode> lines = metrics(dir.resolve("run"));
        assertEquals(12, lines.size());
        double early = (lines.get(0).path("reward_mean").asDouble() + lines.get(1).path("reward_mean").asDouble()) / 2;
        double late = (lines.get(10).path("reward_mean").asDouble() + lines.get(11).path("reward_mean").asDouble()) / 2;
        assertTrue(late > early + 0.2 && late > 0.8, "reward went from " + early + " to " + late);
        float[] after = trained.model().parameters().flat().toArray();
        double moved = 0;
        for (int i = 0; i < before.length; i++) {
            moved += Math.abs(after[i] - before[i]);
        }
        assertTrue(moved > 0, "the weights changed");
        for (JsonNode line : lines) {
            for (String key : List.of("reward_mean", "reward_std", "kl", "entropy", "approx_kl", "clipfrac",
                    "policy_loss", "value_loss", "explained_variance", "tokens_per_s", "time_rollout_s",
                    "time_reward_s", "time_update_s", "logprob_gap")) {
                assertTrue(line.has(key), "metrics line lacks " + key);
            }
            // Rollouts and the trainer's scoring pass are batch-invariant and share their arithmetic: bit for bit.
            assertEquals(0.0, line.path("logprob_gap").asDouble(), "workers and trainer agree on log-probs: " + line);
        }
    }

    @Test
    void anInterruptedRunResumesFromItsLastCheckpoint() throws Exception {
        Path run = dir.resolve("run");
        train(config(3), tinyPolicy(), run); // stands in for a run stopped after its third iteration
        JsonNode state = new ObjectMapper().readTree(run.resolve(PpoRun.CHECKPOINT).resolve(PpoRun.STATE).toFile());
        assertEquals(3, state.path("next_iteration").asInt());

        train(config(5), tinyPolicy(), run); // the same run, asked for five: it must start at the fourth
        List<JsonNode> lines = metrics(run);
        assertEquals(List.of(0, 1, 2, 3, 4), lines.stream().map(l -> l.path("iteration").asInt()).toList());
        assertEquals(3, lines.get(3).path("weights_version").asLong(), "continues from the saved weights version");
    }
}
