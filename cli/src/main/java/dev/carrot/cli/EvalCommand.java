package dev.carrot.cli;

import dev.carrot.evaluation.AnswerSource;
import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.Evaluation;
import dev.carrot.evaluation.ItemGrader;
import dev.carrot.evaluation.NamedReward;
import dev.carrot.evaluation.RolloutAnswerSource;
import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.dataset.Datasets;
import dev.carrot.evaluation.endpoint.EndpointAnswerSource;
import dev.carrot.evaluation.endpoint.EndpointConfig;
import dev.carrot.evaluation.endpoint.JudgeGrader;
import dev.carrot.evaluation.endpoint.OpenAiClient;
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
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a policy checkpoint, or any model behind an OpenAI-compatible endpoint, for"
                + " hallucination and calibration on a question set; writes report.json, report.md, report.html,"
                + " graded.jsonl and plots to --out.")
final class EvalCommand implements Callable<Integer> {

    /** What answers: a checkpoint on local rollout workers, or an endpoint. */
    static final class Source {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "policy checkpoint")
        Path model;

        @ArgGroup(exclusive = false)
        Endpoint endpoint;
    }

    static final class Endpoint {
        @Option(names = "--endpoint", required = true, paramLabel = "URL",
                description = "base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1")
        URI url;

        @Option(names = "--model-name", required = true, paramLabel = "NAME", description = "the model at the endpoint")
        String modelName;

        @Option(names = "--api-key-file", paramLabel = "FILE", description = "file holding the bearer key")
        Path apiKeyFile;

        @Option(names = "--chat", description = "ask /v1/chat/completions instead of /v1/completions")
        boolean chat;

        @Option(names = "--concurrency", defaultValue = "4", description = "requests in flight at once")
        int concurrency;

        @Option(names = "--attempts", defaultValue = "6",
                description = "tries per request; 429, 5xx, timeouts and broken connections are retried with"
                        + " exponential backoff")
        int attempts;

        @Option(names = "--timeout-seconds", defaultValue = "120", description = "limit on one request")
        long timeoutSeconds;
    }

    /** An optional judge model that grades free-form answers in place of exact match. */
    static final class Judge {
        @Option(names = "--judge-endpoint", required = true, paramLabel = "URL",
                description = "base URL of the judge's OpenAI-compatible API; grades with SimpleQA's judge prompt"
                        + " instead of exact match")
        URI url;

        @Option(names = "--judge-model", required = true, paramLabel = "NAME", description = "the judge model")
        String model;

        @Option(names = "--judge-api-key-file", paramLabel = "FILE", description = "file holding the judge's key")
        Path apiKeyFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @ArgGroup(exclusive = false)
    Judge judge;

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "questions: JSONL {question, answer, aliases?, tier?} or SimpleQA CSV")
    Path dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "report directory; with --endpoint it also keeps answers.jsonl, so a rerun resumes")
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

    @Option(names = "--batch-size", defaultValue = "32",
            description = "with --model: questions decoded together per worker request")
    int batchSize;

    @Option(names = "--workers", defaultValue = "2", description = "with --model: rollout workers answering in parallel")
    int workers;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        Dataset questions = Datasets.load(dataset);
        String schemeName = "calibration";
        Payoffs payoffs = Payoffs.CALIBRATION;
        if (reward != null) {
            var scheme = RewardSchemeRegistry.discover(plugins).load(reward);
            var analysis = RewardAnalyzer.analyze(scheme);
            schemeName = analysis.scheme();
            payoffs = analysis.payoffs();
        }
        Payoffs table = payoffs;
        ItemGrader grader = judge == null ? ItemGrader.of(new ExactMatchGrader())
                : new JudgeGrader(new OpenAiClient(EndpointConfig.defaults(judge.url, judge.model)
                        .withApiKey(ApiKeyFile.read(judge.apiKeyFile))));
        Evaluation evaluation = new Evaluation(grader,
                new NamedReward(schemeName, grade -> table.of(grade.category())), Bootstrap.standard());
        long start = System.nanoTime();
        EvalReport report = source.model != null ? onRolloutWorkers(evaluation, questions)
                : evaluation.run(questions, endpoint(source.endpoint));
        ReportWriter.write(report, out);
        System.out.printf(Locale.ROOT, "evaluated %d questions in %.1f s; report in %s%n", questions.items().size(),
                (System.nanoTime() - start) / 1e9, out);
        System.out.print(Summaries.table(report));
        return 0;
    }

    private EvalReport onRolloutWorkers(Evaluation evaluation, Dataset questions) throws Exception {
        Policy policy = PolicyCheckpoint.load(source.model, new JavaKernels());
        SamplingParams sampling = new SamplingParams(temperature, 0, 1, maxNewTokens, List.of());
        try (RolloutService rollouts = LocalRolloutService.start(policy,
                new RolloutConfig(workers, batchSize, RolloutConfig.defaults().timeoutMillis(),
                        RolloutConfig.defaults().attempts()))) {
            return evaluation.run(questions, new RolloutAnswerSource(rollouts, sampling, seed));
        }
    }

    private AnswerSource endpoint(Endpoint endpoint) throws Exception {
        EndpointConfig config = EndpointConfig.defaults(endpoint.url, endpoint.modelName)
                .withApiKey(ApiKeyFile.read(endpoint.apiKeyFile))
                .withConcurrency(endpoint.concurrency)
                .withRetries(endpoint.attempts, 500, 30_000, endpoint.timeoutSeconds * 1000);
        return new EndpointAnswerSource(new OpenAiClient(config),
                new EndpointAnswerSource.Asking(endpoint.chat, maxNewTokens, temperature, seed), out);
    }
}
