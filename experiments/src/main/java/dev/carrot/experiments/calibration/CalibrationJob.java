package dev.carrot.experiments.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.ConfigBinder;
import dev.carrot.common.ConfigException;
import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.Evaluation;
import dev.carrot.evaluation.NamedReward;
import dev.carrot.evaluation.RolloutAnswerSource;
import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.metrics.Tally;
import dev.carrot.evaluation.report.ReportWriter;
import dev.carrot.experiments.calibration.world.CalibrationWorld;
import dev.carrot.experiments.calibration.world.Split;
import dev.carrot.experiments.calibration.world.WorldItem;
import dev.carrot.experiments.calibration.world.WorldWriter;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.rewards.GuardedScheme;
import dev.carrot.rewards.RewardSchemeRegistry;
import dev.carrot.rewards.analysis.RewardAnalyzer;
import dev.carrot.rewards.config.ConfigLocation;
import dev.carrot.rewards.config.RewardConfig;
import dev.carrot.rewards.grading.ExactMatchGrader;
import dev.carrot.rewards.schemes.Payoffs;
import dev.carrot.rollout.RolloutConfig;
import dev.carrot.rollout.RolloutService;
import dev.carrot.rollout.RolloutServiceFactory;
import dev.carrot.trainer.job.DataSettings;
import dev.carrot.trainer.job.EvalSettings;
import dev.carrot.trainer.job.RlStage;
import dev.carrot.trainer.job.RolloutSettings;
import dev.carrot.trainer.job.Stage;
import dev.carrot.trainer.job.Summaries;
import dev.carrot.trainer.job.TrainingReport;
import dev.carrot.trainer.ppo.PpoConfig;
import dev.carrot.trainer.pretrain.PretrainConfig;
import dev.carrot.trainer.pretrain.PretrainJob;
import dev.carrot.trainer.sft.SftConfig;
import dev.carrot.trainer.sft.SftTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./carrot train JOB.yaml --out DIR}: the calibration experiment end to end. Generate the world; pretrain on
 * its corpus; SFT on its SFT set (the base policy, {@code DIR/base}); evaluate it on the held-out questions; RL
 * fine-tune it against the job's reward scheme on rollout workers ({@code DIR/ppo}, then {@code DIR/policy});
 * evaluate again; write {@code report.json}, {@code report.md} and {@code report.html}. Each stage lives in its own
 * directory and is reused by a later run of the same config.
 */
public final class CalibrationJob {

    /** The sections of a calibration job file; see configs/calibration.yaml. */
    public static final Set<String> SECTIONS = Set.of("world", "pretrain", "sft", "reward", "rollout", "ppo", "eval");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jobFile;
    private final JsonNode root;
    private final Path out;
    private final List<Path> rewardPlugins;
    private final boolean resume;
    private final RolloutServiceFactory rolloutServices;
    private final PrintStream log;

    /**
     * @param rolloutServices where the job's rollouts are generated: {@link RolloutServiceFactory#local()} or the
     *                        rollout cluster
     */
    public CalibrationJob(Path jobFile, Path out, List<Path> rewardPlugins, boolean resume,
            RolloutServiceFactory rolloutServices, PrintStream log) {
        this.jobFile = jobFile;
        this.rolloutServices = rolloutServices;
        this.root = ConfigBinder.readTree(jobFile);
        this.out = out;
        this.rewardPlugins = List.copyOf(rewardPlugins);
        this.resume = resume;
        this.log = log;
    }

    public void run() throws IOException {
        long jobStart = System.nanoTime();
        String source = jobFile.toString();
        ConfigBinder.requireSections(root, SECTIONS, source, "a calibration job");
        refuseUnused("pretrain", "corpus", "the calibration job pretrains on its world's corpus; `carrot pretrain`"
                + " takes your own");
        refuseUnused("sft", "data", "the calibration job fine-tunes on its world's SFT split; `carrot sft` takes your"
                + " own");
        PretrainConfig pretrainConfig = ConfigBinder.bind(root.get("pretrain"), PretrainConfig.class, source, "pretrain");
        SftConfig sftConfig = ConfigBinder.bind(root.get("sft"), SftConfig.class, source, "sft");
        if (sftConfig.maxLength() > pretrainConfig.contextLength()) {
            throw new ConfigException(source + ": sft.max_length: expected at most pretrain.context_length ("
                    + pretrainConfig.contextLength() + "), got " + sftConfig.maxLength());
        }
        PpoConfig ppoConfig = ConfigBinder.bind(root.get("ppo"), PpoConfig.class, source, "ppo");
        EvalSettings evalSettings = ConfigBinder.bind(root.get("eval"), EvalSettings.class, source, "eval");
        RolloutConfig rolloutConfig = rolloutConfig();
        GuardedScheme reward = RewardSchemeRegistry.discover(rewardPlugins)
                .build(RewardConfig.fromSection(root.get("reward"), new ConfigLocation(jobFile.toString(), "reward")));
        Payoffs payoffs = RewardAnalyzer.analyze(reward).payoffs();
        NamedReward namedReward = new NamedReward(reward.name(), grade -> payoffs.of(grade.category()));

        Map<String, Double> seconds = new LinkedHashMap<>();
        CalibrationWorld world = JobWorld.generate(jobFile, root);
        Stage worldStage = new Stage("world", out.resolve("world"),
                List.of(node("world"), text("files v" + WorldWriter.FORMAT)));
        if (!worldStage.done()) {
            long t = System.nanoTime();
            WorldWriter.write(world, worldStage.dir());
            worldStage.finish(JSON.createObjectNode(), elapsed(t));
        }
        Dataset evalSet = new Dataset("eval", world.items(Split.EVAL).stream().map(WorldItem::evalItem).toList());
        // The RL stage reads the world's RL split from its file, as a general RL job reads a user's prompts.
        RlStage rl = new RlStage(ppoConfig, reward,
                DataSettings.train(worldStage.dir().resolve(WorldWriter.RL)).trainPrompts(null));

        Stage pretrain = new Stage("pretrain", out.resolve("pretrain"), List.of(node("world"), node("pretrain")));
        if (!pretrain.done()) {
            log.println("== pretrain");
            long t = System.nanoTime();
            var result = PretrainJob.run(pretrainConfig, JobWorld.corpus(world, pretrainConfig.includeSft()),
                    pretrain.dir(), new JavaKernels(), log);
            ObjectNode summary = JSON.createObjectNode().put("held_out_loss", result.heldOutLoss())
                    .put("unigram_entropy", result.unigramEntropy());
            pretrain.finish(summary, elapsed(t));
        }
        seconds.put("pretrain", pretrain.seconds());

        Stage base = new Stage("sft", out.resolve("base"), List.of(text(pretrain.fingerprint()), node("sft")));
        if (!base.done()) {
            log.println("== sft");
            long t = System.nanoTime();
            Policy policy = PolicyCheckpoint.load(pretrain.dir(), new JavaKernels());
            var result = new SftTrainer(sftConfig, p -> { }).run(policy, JobWorld.sft(world));
            PolicyCheckpoint.save(policy, base.dir());
            log.printf(Locale.ROOT, "SFT loss %.4f after %d steps%n", result.finalEpochLoss(), result.steps());
            base.finish(JSON.createObjectNode().put("loss", result.finalEpochLoss()), elapsed(t));
        }
        seconds.put("sft", base.seconds());

        Policy start = rl.startingPolicy(PolicyCheckpoint.load(base.dir(), new JavaKernels()));
        try (RolloutService rollouts = rolloutServices.start(start, rolloutConfig)) {
            Evaluation evaluation = new Evaluation(new ExactMatchGrader(), namedReward, Bootstrap.standard());
            SamplingParams greedy = new SamplingParams(0, 0, 1, evalSettings.maxNewTokens(), List.of("\n"));
            RolloutAnswerSource answers = new RolloutAnswerSource(rollouts, greedy, evalSettings.seed());

            Stage before = new Stage("eval-before", out.resolve("eval-before"),
                    List.of(text(base.fingerprint()), node("eval"), node("reward"), node("world")));
            if (!before.done()) {
                log.println("== evaluate the base policy");
                long t = System.nanoTime();
                EvalReport report = evaluation.run(evalSet, answers);
                ReportWriter.write(report, before.dir());
                log.print(Summaries.table(report));
                before.finish(JSON.createObjectNode(), elapsed(t));
            }
            seconds.put("eval_before", before.seconds());

            Stage ppo = new Stage("ppo", out.resolve("ppo"),
                    List.of(text(base.fingerprint()), node("reward"), node("ppo"), node("rollout")));
            if (!ppo.done()) {
                log.println("== " + ppoConfig.algorithm().id() + " against the '" + reward.name() + "' reward");
                long t = System.nanoTime();
                Policy trained = rl.run(start, rollouts, ppo.dir(), resume,
                        p -> headline(evaluation.run(evalSet, answers)), log::println);
                PolicyCheckpoint.save(trained, out.resolve("policy"));
                ppo.finish(JSON.createObjectNode(), elapsed(t));
            } else {
                rollouts.publishWeights(PolicyCheckpoint.load(out.resolve("policy"), new JavaKernels()).model()
                        .parameters(), rollouts.publishedVersion() + 1);
            }
            seconds.put("ppo", ppo.seconds());

            Stage after = new Stage("eval-after", out.resolve("eval-after"),
                    List.of(text(ppo.fingerprint()), node("eval"), node("reward"), node("world")));
            if (!after.done()) {
                log.println("== evaluate the trained policy");
                long t = System.nanoTime();
                EvalReport report = evaluation.run(evalSet, answers);
                ReportWriter.write(report, after.dir());
                log.print(Summaries.table(report));
                after.finish(JSON.createObjectNode(), elapsed(t));
            }
            seconds.put("eval_after", after.seconds());
        }
        seconds.put("total_this_run", elapsed(jobStart));
        TrainingReport.write(out, reward.name(), seconds);
        log.println("report: " + out.resolve(TrainingReport.MARKDOWN));
    }

    /** A key its section allows but this job would ignore: refused, rather than silently unused. */
    private void refuseUnused(String section, String key, String why) {
        if (root.path(section).has(key)) {
            throw new ConfigException(jobFile + ": " + section + "." + key + ": not used here (" + why + ")");
        }
    }

    private RolloutConfig rolloutConfig() {
        return ConfigBinder.bind(root.get("rollout"), RolloutSettings.class, jobFile.toString(), "rollout").toConfig();
    }

    /** Hallucination rate and accuracy overall and per tier: the figures tracked during training. */
    private static Map<String, Double> headline(EvalReport report) {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "overall", report.overall().metrics().tally());
        report.byTier().forEach((tier, group) -> put(m, tier, group.metrics().tally()));
        return m;
    }

    private static void put(Map<String, Double> m, String group, Tally t) {
        m.put("hallucination_rate/" + group, t.hallucinationRate());
        m.put("accuracy/" + group, t.accuracy());
        m.put("abstain_rate/" + group, t.abstainRate());
        m.put("hedge_rate/" + group, t.hedgeRate());
        m.put("mean_reward/" + group, t.meanReward());
    }

    private JsonNode node(String section) {
        return root.get(section);
    }

    private static JsonNode text(String value) {
        return JSON.getNodeFactory().textNode(value);
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
