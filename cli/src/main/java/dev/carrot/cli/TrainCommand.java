package dev.carrot.cli;

import dev.carrot.trainer.job.CalibrationJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Run an RL fine-tuning job end to end: generate the calibration world, pretrain, SFT, evaluate"
                + " the base policy, RL fine-tune it (PPO, GRPO or RLOO) against the job's reward on rollout workers,"
                + " evaluate again, and write report.json, report.md and report.html to --out.",
                "Stages already done for the same config are reused; an interrupted RL stage continues with --resume."})
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "job file (see configs/calibration.yaml)")
    Path job;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run directory")
    Path out;

    @Option(names = "--resume", description = "continue an interrupted RL stage from its last checkpoint")
    boolean resume;

    @Option(names = "--reward-plugin", paramLabel = "FILE.jar", description = "jar with reward schemes (repeatable)")
    List<Path> plugins = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        new CalibrationJob(job, out, plugins, resume, System.out).run();
        return 0;
    }
}
