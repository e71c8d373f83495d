package dev.carrot.cli;

import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.Evaluation;
import dev.carrot.evaluation.NamedReward;
import dev.carrot.evaluation.RolloutAnswerSource;
import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.dataset.Datasets;
import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.report.ReportWriter;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.rewards.RewardSchemeRegistry;
import dev.carrot.rollout.LocalRolloutService;
import dev.carrot.rollout.RolloutConfig;
import dev.carrot.rollout.RolloutService;
import dev.carrot.rewards.analysis.RewardAnalyzer;
import dev.carrot.rewards.grading.ExactMatchGrader;
import dev.carrot.rewards.schemes.Payoffs;
import dev.carrot.trainer.job.Summaries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a policy for hallucination and calibration on a question set; writes report.json,"
                + " report.md, report.html, graded.jsonl and plots to --out.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "policy checkpoint")
    Path model;

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "questions: JSONL {question, answer, aliases?, tier?} or SimpleQA CSV")
    Path dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "report directory")
    Path out;

    @Option(names = "--reward", paramLabel = "FILE.yaml",
            description = "tiered reward scheme for mean reward (a scheme file or a job's reward section);"
                    + " default: calibration 1 / 0.5 / 0 / -2 / -4")
    Path reward;

    @Option(names = "--reward-plugin", paramLabel = "FILE.jar", description = "jar with reward schemes (repeatable)")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--temperature", defaultValue = "0", description = "0 decodes greedily (default)")
    double temperature;

    @Option(names = "--max-new-tokens", defaultValue = "32")
    int maxNewTokens;

    @Option(names = "--batch-size", defaultValue = "32", description = "questions decoded together per worker request")
    int batchSize;

    @Option(names = "--workers", defaultValue = "2", description = "rollout workers answering in parallel")
    int workers;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        Dataset questions = Datasets.load(dataset);
        Policy policy = PolicyCheckpoint.load(model, new JavaKernels());
        String schemeName = "calibration";
        Payoffs payoffs = Payoffs.CALIBRATION;
        if (reward != null) {
            var scheme = RewardSchemeRegistry.discover(plugins).load(reward);
            var analysis = RewardAnalyzer.analyze(scheme);
            schemeName = analysis.scheme();
            payoffs = analysis.payoffs();
        }
        Payoffs table = payoffs;
        Evaluation evaluation = new Evaluation(new ExactMatchGrader(),
                new NamedReward(schemeName, grade -> table.of(grade.category())), Bootstrap.standard());
        SamplingParams sampling = new SamplingParams(temperature, 0, 1, maxNewTokens, List.of());
        long start = System.nanoTime();
        EvalReport report;
        try (RolloutService rollouts = LocalRolloutService.start(policy,
                new RolloutConfig(workers, batchSize, RolloutConfig.defaults().timeoutMillis(),
                        RolloutConfig.defaults().attempts(), 0, false))) {
            report = evaluation.run(questions, new RolloutAnswerSource(rollouts, sampling, seed));
        }
        ReportWriter.write(report, out);
        System.out.printf(Locale.ROOT, "evaluated %d questions in %.1f s; report in %s%n", questions.items().size(),
                (System.nanoTime() - start) / 1e9, out);
        System.out.print(Summaries.table(report));
        return 0;
    }
}
