package dev.carrot.trainer.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import dev.carrot.common.ConfigBinder;
import dev.carrot.common.ConfigException;
import dev.carrot.evaluation.RewardEvaluation;
import dev.carrot.evaluation.RewardSummary;
import dev.carrot.evaluation.dataset.PromptRecord;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.tensor.BlasFamily;
import dev.carrot.rewards.GuardedScheme;
import dev.carrot.rewards.RewardSchemeRegistry;
import dev.carrot.rewards.config.ConfigLocation;
import dev.carrot.rewards.config.RewardConfig;
import dev.carrot.rollout.RolloutConfig;
import dev.carrot.rollout.RolloutService;
import dev.carrot.rollout.RolloutServiceFactory;
import dev.carrot.trainer.ppo.PpoConfig;
import dev.carrot.trainer.ppo.PpoRun;
import dev.carrot.trainer.ppo.RlPrompts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./carrot train JOB.yaml --out DIR} for a job that names its {@code policy:}: RL fine-tuning of a user's
 * policy on a user's prompts against any reward scheme. Evaluate the eval prompts; train on rollout workers
 * ({@code DIR/metrics.jsonl}, {@code DIR/checkpoint/}); save {@code DIR/policy}; evaluate again; write
 * {@code DIR/report.json} and {@code DIR/report.md}. The job file is read and every input checked before any work.
 */
public final class RlJob {

    /** The sections a general RL job may have. */
    public static final Set<String> SECTIONS = Set.of("policy", "data", "reward", "ppo", "rollout", "eval");
    public static final String POLICY_DIR = "policy";
    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_MARKDOWN = "report.md";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jobFile;
    private final Path out;
    private final boolean resume;
    private final RolloutServiceFactory rolloutServices;
    private final PrintStream log;
    private final Policy policy;
    private final Path policyDir;
    private final GuardedScheme reward;
    private final PpoConfig ppo;
    private final RolloutConfig rollout;
    private final EvalSettings eval;
    private final RlPrompts train;
    private final List<PromptRecord> evalRecords;
    private final RlStage stage;

    /** Reads and checks the whole job: the policy, both datasets, the reward scheme and every section. */
    public RlJob(Path jobFile, Path out, List<Path> rewardPlugins, boolean resume, RolloutServiceFactory rollouts,
            PrintStream log) throws IOException {
        this.jobFile = jobFile;
        this.out = out;
        this.resume = resume;
        this.rolloutServices = rollouts;
        this.log = log;
        JsonNode root = ConfigBinder.readTree(jobFile);
        String source = jobFile.toString();
        ConfigBinder.requireSections(root, SECTIONS, source, "a job with policy:");
        this.policyDir = policyDirectory(root.path("policy"), source);
        this.ppo = ConfigBinder.bind(root.get("ppo"), PpoConfig.class, source, "ppo");
        this.rollout = ConfigBinder.bind(root.get("rollout"), RolloutSettings.class, source, "rollout").toConfig();
        this.eval = ConfigBinder.bind(root.get("eval"), EvalSettings.class, source, "eval");
        if (root.get("data") == null) {
            throw new ConfigException(source + ": data: missing; expected at least data.train, the prompts file");
        }
        DataSettings data = ConfigBinder.bind(root.get("data"), DataSettings.class, source, "data");
        if (root.get("reward") == null) {
            throw new ConfigException(source + ": reward: missing; expected {scheme: NAME, params: {...}}");
        }
        this.reward = RewardSchemeRegistry.discover(rewardPlugins)
                .build(RewardConfig.fromSection(root.get("reward"), new ConfigLocation(source, "reward")));
        this.train = data.trainPrompts(jobFile);
        this.evalRecords = data.evalPrompts(jobFile);
        this.stage = new RlStage(ppo, reward, train);
        this.policy = stage.startingPolicy(PolicyCheckpoint.load(policyDir, new JavaKernels()));
    }

    public void run() throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(out);
        RlStage.requireResumeOfInterruptedRun(out, resume); // before the first evaluation, not after it
        log.printf(Locale.ROOT, "policy %s (%s), %d training prompts, %d eval prompts, reward '%s', %s; OpenBLAS %s%n",
                policyDir, describe(policy), train.records().size(), evalRecords.size(), reward.name(),
                ppo.algorithm().id(), BlasFamily.inUse());
        SamplingParams greedy = new SamplingParams(0, 0, 1, eval.maxNewTokens(), train.stop());
        Map<String, Double> seconds = new LinkedHashMap<>();
        try (RolloutService rollouts = rolloutServices.start(policy, rollout)) {
            long t = System.nanoTime();
            RewardSummary before = evaluate(rollouts, greedy, "before");
            seconds.put("eval_before", elapsed(t));
            t = System.nanoTime();
            Policy trained = stage.run(policy, rollouts, out, resume, p -> evalRecords.isEmpty() ? Map.of()
                    : RewardEvaluation.run(evalRecords, rollouts, reward, greedy, eval.seed()).toMetrics(),
                    log::println);
            PolicyCheckpoint.save(trained, out.resolve(POLICY_DIR));
            seconds.put("train", elapsed(t));
            t = System.nanoTime();
            RewardSummary after = evaluate(rollouts, greedy, "after");
            seconds.put("eval_after", elapsed(t));
            seconds.put("total_this_run", elapsed(start));
            writeReport(before, after, seconds);
        }
        log.println("policy: " + out.resolve(POLICY_DIR) + "\nreport: " + out.resolve(REPORT_MARKDOWN));
    }

    private RewardSummary evaluate(RolloutService rollouts, SamplingParams greedy, String when) {
        if (evalRecords.isEmpty()) {
            return null;
        }
        RewardSummary summary = RewardEvaluation.run(evalRecords, rollouts, reward, greedy, eval.seed());
        log.println("eval " + when + ": " + RewardEvaluation.describe(summary));
        return summary;
    }

    private void writeReport(RewardSummary before, RewardSummary after, Map<String, Double> seconds)
            throws IOException {
        ObjectNode report = JSON.createObjectNode();
        report.put("policy", policyDir.toString());
        report.put("reward", reward.name());
        report.put("algorithm", ppo.algorithm().id());
        report.put("blas_family", BlasFamily.inUse());
        report.set("before", before == null ? null : JSON.valueToTree(before.toMetrics()));
        report.set("after", after == null ? null : JSON.valueToTree(after.toMetrics()));
        ArrayNode training = report.putArray("training");
        for (String line : Files.readAllLines(out.resolve(PpoRun.METRICS))) {
            if (!line.isBlank()) {
                training.add(JSON.readTree(line));
            }
        }
        report.set("seconds", JSON.valueToTree(seconds));
        AtomicFiles.write(out.resolve(REPORT_JSON), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        AtomicFiles.writeString(out.resolve(REPORT_MARKDOWN), markdown(before, after, seconds));
    }

    private String markdown(RewardSummary before, RewardSummary after, Map<String, Double> seconds) {
        StringBuilder md = new StringBuilder("# RL job\n\n");
        md.append(String.format(Locale.ROOT, "Policy `%s`, reward `%s`, %s for %d iterations on %d prompts.%n%n",
                policyDir, reward.name(), ppo.algorithm().id(), ppo.iterations(), train.records().size()));
        if (before == null) {
            md.append("No eval set (`data.eval`): nothing was evaluated before and after.\n");
        } else {
            md.append(String.format(Locale.ROOT, "Eval set: %d prompts, greedy decoding.%n%n", before.n()));
            md.append("| metric | before | after |\n|---|---:|---:|\n");
            Map<String, Double> b = before.toMetrics();
            Map<String, Double> a = after.toMetrics();
            Set<String> keys = new java.util.LinkedHashSet<>(b.keySet());
            keys.addAll(a.keySet());
            for (String key : keys) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", key, format(b.get(key)), format(a.get(key))));
            }
        }
        md.append("\n| stage | seconds |\n|---|---:|\n");
        seconds.forEach((stage, s) -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", stage, s)));
        return md.toString();
    }

    private static String format(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    /** The checkpoint {@code policy:} names: a policy directory, or a run directory holding one in policy/. */
    private Path policyDirectory(JsonNode node, String source) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new ConfigException(source + ": policy: expected the path of a policy checkpoint directory, got "
                    + (node.isMissingNode() ? "nothing" : node.toString()));
        }
        Path dir = ConfigBinder.resolve(jobFile, node.asText());
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(source + ": policy: " + dir + " is not a directory");
        }
        if (!Files.exists(dir.resolve(PolicyCheckpoint.CONFIG)) && Files.isDirectory(dir.resolve(POLICY_DIR))) {
            return dir.resolve(POLICY_DIR); // the output directory of an earlier job
        }
        if (!Files.exists(dir.resolve(PolicyCheckpoint.CONFIG))) {
            throw new ConfigException(source + ": policy: " + dir + " has no " + PolicyCheckpoint.CONFIG
                    + ": expected a policy checkpoint (pretrain, sft or train output)");
        }
        return dir;
    }

    private static String describe(Policy policy) {
        var c = policy.config();
        return String.format(Locale.ROOT, "V=%d d=%d L=%d H=%d T=%d", c.vocabSize(), c.dModel(), c.nLayers(),
                c.nHeads(), c.contextLength());
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
