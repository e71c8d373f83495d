package dev.carrot.trainer.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import dev.carrot.common.FileTrees;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.OptimizerCheckpoint;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rollout.RolloutService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A PPO run in a directory: {@code metrics.jsonl} (one line per iteration) and {@code checkpoint/} (the policy with
 * its value head, the optimizer state, and {@code state.json}: the next iteration, the KL coefficient, the weights
 * version). The checkpoint is replaced atomically by renaming a complete directory; resuming continues from it and
 * drops metric lines of iterations it had not reached, so the run reads as if never interrupted.
 */
public final class PpoRun {

    public static final String METRICS = "metrics.jsonl";
    public static final String CHECKPOINT = "checkpoint";
    static final String STATE = "state.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PpoRun() {}

    /**
     * Trains {@code start} (which must carry a value head for PPO) and returns the trained policy.
     *
     * @param evaluate run every {@code eval_every} iterations and after the last; its figures join the metrics line
     */
    public static Policy run(PpoConfig config, Policy start, Gpt reference, RolloutService rollouts,
            RewardScheme reward, RlPrompts prompts, Path dir, Function<Policy, Map<String, Double>> evaluate,
            Consumer<String> log) throws IOException {
        Files.createDirectories(dir);
        Path checkpoint = dir.resolve(CHECKPOINT);
        Policy policy = start;
        int first = 0;
        long version = 0;
        double beta = config.klCoef();
        JsonNode state = null;
        if (Files.isRegularFile(checkpoint.resolve(STATE))) {
            state = JSON.readTree(checkpoint.resolve(STATE).toFile());
            policy = PolicyCheckpoint.load(checkpoint, new JavaKernels());
            first = state.path("next_iteration").asInt();
            version = state.path("weights_version").asLong();
            beta = state.path("kl_beta").asDouble();
            log.accept("resuming at iteration " + first + " from " + checkpoint);
        }
        truncateMetrics(dir.resolve(METRICS), first);
        if (version > rollouts.publishedVersion()) {
            rollouts.publishWeights(policy.model().parameters(), version); // a resumed run's weights
        }
        PpoTrainer trainer = new PpoTrainer(config, policy, reference, rollouts, reward, prompts, version, beta);
        if (state != null) {
            OptimizerCheckpoint.load(trainer.optimizer(), checkpoint.resolve(OptimizerCheckpoint.FILE));
        }
        for (int iteration = first; iteration < config.iterations(); iteration++) {
            IterationMetrics metrics = trainer.iterate(iteration);
            Map<String, Object> line = metrics.toMap();
            boolean last = iteration == config.iterations() - 1;
            if (last || (config.evalEvery() > 0 && (iteration + 1) % config.evalEvery() == 0)) {
                evaluate.apply(policy).forEach((k, v) -> line.put("eval/" + k, v));
            }
            appendLine(dir.resolve(METRICS), line);
            log.accept(progressLine(metrics, config.iterations()));
            if (last || (iteration + 1) % config.checkpointEvery() == 0) {
                saveCheckpoint(checkpoint, policy, trainer, iteration + 1);
            }
        }
        return policy;
    }

    static String progressLine(IterationMetrics m, int iterations) {
        double ev = m.update().explainedVariance(); // NaN without a critic (GRPO, RLOO)
        return String.format(java.util.Locale.ROOT,
                "iter %3d/%d  reward %+.3f ±%.2f  kl %.3f  H %.2f  approx_kl %.4f  clip %.2f  vloss %.3f  ev %s"
                        + "  %.0f tok/s  (rollout %.1fs, update %.1fs)  workers %s",
                m.iteration() + 1, iterations, m.rollouts().rewardMean(), m.rollouts().rewardStd(), m.rollouts().kl(),
                m.update().entropy(), m.update().approxKl(), m.update().clipfrac(), m.update().valueLoss(),
                Double.isNaN(ev) ? "-" : String.format(java.util.Locale.ROOT, "%.2f", ev), m.timing().tokensPerSecond(),
                m.timing().rolloutSeconds(), m.timing().updateSeconds(), workers(m.rollouts().byWorker()));
    }

    /** "local-1 8, local-2 8": who produced the iteration's rollouts. */
    private static String workers(Map<String, Integer> rolloutsByWorker) {
        StringBuilder s = new StringBuilder();
        rolloutsByWorker.forEach((worker, n) -> s.append(s.isEmpty() ? "" : ", ").append(worker).append(' ').append(n));
        return s.toString();
    }

    private static void saveCheckpoint(Path checkpoint, Policy policy, PpoTrainer trainer, int nextIteration)
            throws IOException {
        Path staging = checkpoint.resolveSibling(CHECKPOINT + ".partial");
        FileTrees.deleteRecursively(staging);
        PolicyCheckpoint.save(policy, staging);
        OptimizerCheckpoint.save(trainer.optimizer(), staging.resolve(OptimizerCheckpoint.FILE));
        ObjectNode state = JSON.createObjectNode();
        state.put("next_iteration", nextIteration);
        state.put("weights_version", trainer.weightsVersion());
        state.put("kl_beta", trainer.klController().beta());
        AtomicFiles.write(staging.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        Path previous = checkpoint.resolveSibling(CHECKPOINT + ".previous");
        FileTrees.deleteRecursively(previous);
        if (Files.exists(checkpoint)) {
            Files.move(checkpoint, previous, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, checkpoint, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteRecursively(previous);
    }

    private static void appendLine(Path file, Map<String, Object> line) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Keeps only the lines of iterations before {@code next}. */
    private static void truncateMetrics(Path file, int next) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && JSON.readTree(line).path("iteration").asInt() < next) {
                kept.add(line);
            }
        }
        AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
    }
}
