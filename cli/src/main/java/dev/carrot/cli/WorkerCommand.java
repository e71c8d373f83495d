package dev.carrot.cli;

import dev.carrot.policy.tensor.Parallel;
import dev.carrot.rollout.ClusterOptions;
import dev.carrot.rollout.ClusterWorker;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Serve rollouts to the trainers of the rollout cluster until stopped (Ctrl-C leaves the"
                + " cluster cleanly; a killed worker is dropped within seconds and its requests go to others).",
                "The worker needs no model: it fetches the trainer's weights, checks them, and fetches each new"
                        + " version the trainer publishes. Start trainers with `carrot train JOB.yaml --cluster`."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, description = "join the rollout cluster (required: in-process"
            + " workers are set in a job's rollout section)")
    boolean cluster;

    @Mixin
    ClusterFlags flags;

    @Option(names = "--slots", defaultValue = "1", description = "requests served at the same time, each on its own"
            + " copy of the policy: the worker's capacity (default: ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--threads", description = "threads each request's matrix products and kernels use"
            + " (default: all cores); with S slots, S x threads should not exceed the cores")
    Integer threads;

    @Option(names = "--name", description = "how the trainer reports this worker; unique in the cluster"
            + " (default: HOST-PID)")
    String name;

    @Override
    public Integer call() throws InterruptedException {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        ClusterOptions options = flags.toOptions();
        String worker = name != null ? name : options.host() + "-" + ProcessHandle.current().pid();
        ClusterWorker.start(options, worker, slots);
        new CountDownLatch(1).await(); // serve until the process is stopped
        return 0;
    }
}
