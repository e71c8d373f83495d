package dev.carrot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.common.ConfigBinder;
import dev.carrot.common.ConfigException;
import dev.carrot.common.RunLock;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.experiments.calibration.JobWorld;
import dev.carrot.trainer.sft.SftConfig;
import dev.carrot.trainer.sft.SftData;
import dev.carrot.trainer.sft.SftExample;
import dev.carrot.trainer.sft.SftTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sft", mixinStandardHelpOptions = true,
        description = "Supervised fine-tuning of a policy on prompt/completion pairs (loss on completions only);"
                + " writes the fine-tuned policy checkpoint to --out.")
final class SftCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "job file with an `sft:` section; without"
            + " `sft.data`, the SFT set of the calibration world its `world:` section describes")
    Path job;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "policy checkpoint to fine-tune")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "checkpoint directory to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        JsonNode root = ConfigBinder.readTree(job);
        SftConfig config = ConfigBinder.bind(root.get("sft"), SftConfig.class, job.toString(), "sft");
        List<SftExample> examples = config.data() != null
                ? SftData.read(ConfigBinder.resolve(job, config.data()))
                : JobWorld.sft(JobWorld.generate(job, root));
        Policy policy = PolicyCheckpoint.load(model, new JavaKernels());
        if (config.maxLength() > policy.config().contextLength()) {
            throw new ConfigException(job + ": sft.max_length: expected at most the context of " + model + " ("
                    + policy.config().contextLength() + " tokens), got " + config.maxLength());
        }
        System.out.printf(Locale.ROOT, "fine-tuning %s on %d examples for %d epochs%n", model, examples.size(),
                config.epochs());
        int[] every = {1};
        SftTrainer.Result result;
        try (RunLock lock = RunLock.acquire(out)) {
            result = new SftTrainer(config, p -> {
                every[0] = Math.max(1, p.steps() / 30);
                if (p.step() % every[0] == 0 || p.step() == p.steps()) {
                    System.out.printf(Locale.ROOT, "step %4d/%d  epoch %d  loss %.4f  lr %.2e  |g| %.3f%n", p.step(),
                            p.steps(), p.epoch(), p.loss(), p.learningRate(), p.gradNorm());
                }
            }).run(policy, examples);
            PolicyCheckpoint.save(policy, out);
        }
        System.out.printf(Locale.ROOT, "final epoch loss %.4f over completion tokens; %d steps in %.1f s; policy saved"
                + " to %s%n", result.finalEpochLoss(), result.steps(), result.seconds(), out);
        return 0;
    }
}
