package dev.carrot.rollout;

import dev.carrot.policy.Policy;
import java.time.Duration;

/**
 * Starts the rollout service a job generates with, serving the given policy as weights version 0, so that the job's
 * code is the same whether its workers run in its own process or across the cluster.
 */
@FunctionalInterface
public interface RolloutServiceFactory {

    /** How long a clustered trainer waits for the workers already in the cluster to register. */
    Duration MEMBERS_PATIENCE = Duration.ofSeconds(30);

    RolloutService start(Policy policy, RolloutConfig config);

    /** {@code config.workers()} workers in this process. */
    static RolloutServiceFactory local() {
        return LocalRolloutService::start;
    }

    /**
     * Every worker of the rollout cluster, and {@code config.workers()} of this process's own if
     * {@code localWorkers}; the service is returned once at least one worker is in service (it fails after
     * {@code patience} without any) and the cluster's other members have had {@link #MEMBERS_PATIENCE} to register.
     */
    static RolloutServiceFactory cluster(ClusterOptions options, boolean localWorkers, Duration patience) {
        return (policy, config) -> {
            ClusterRolloutService service = ClusterRolloutService.start(policy, config, options, localWorkers);
            try {
                service.awaitWorkers(1, patience);
                service.awaitClusterMembers(MEMBERS_PATIENCE);
            } catch (RuntimeException e) {
                service.close();
                throw e;
            }
            return service;
        };
    }
}
