package dev.carrot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.common.ConfigBinder;
import dev.carrot.common.RunLock;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.experiments.calibration.JobWorld;
import dev.carrot.trainer.pretrain.PretrainConfig;
import dev.carrot.trainer.pretrain.PretrainJob;
import dev.carrot.trainer.pretrain.Pretrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Train a tokenizer and a GPT from scratch by next-token prediction on a text corpus, and save"
                + " the policy checkpoint (config.json, model.safetensors, tokenizer.json) to --out.")
final class PretrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "job file with a `pretrain:` section; without"
            + " `pretrain.corpus`, the corpus of the calibration world its `world:` section describes")
    Path job;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "checkpoint directory to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        JsonNode root = ConfigBinder.readTree(job);
        PretrainConfig config = ConfigBinder.bind(root.get("pretrain"), PretrainConfig.class, job.toString(),
                "pretrain");
        List<String> documents;
        if (config.corpus() != null) {
            Path corpus = PretrainJob.corpusPath(job, config);
            documents = PretrainJob.readDocuments(corpus);
            System.out.printf(Locale.ROOT, "pretraining on %s: %d documents%n", corpus, documents.size());
        } else {
            documents = JobWorld.corpus(JobWorld.generate(job, root), config.includeSft());
            System.out.printf(Locale.ROOT, "pretraining on the calibration world's corpus: %d statements%n",
                    documents.size());
        }
        Pretrainer.Result result;
        try (RunLock lock = RunLock.acquire(out)) {
            result = PretrainJob.run(config, documents, out, new JavaKernels(), System.out);
        }
        System.out.printf(Locale.ROOT, "held-out loss %.4f nats (unigram entropy %.4f); %d tokens in %.1f s;"
                + " policy saved to %s%n", result.heldOutLoss(), result.unigramEntropy(), result.tokens(),
                result.seconds(), out);
        return 0;
    }
}
