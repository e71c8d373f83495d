/**
 * Rollout workers: generation of policy completions on Vert.x workers, each with its own replica of the policy, for
 * PPO, evaluation and serving ({@link dev.carrot.rollout.serve.OpenAiServer}, OpenAI's HTTP API).
 * {@link dev.carrot.rollout.RolloutService} is the interface the trainer uses;
 * {@link dev.carrot.rollout.LocalRolloutService} runs the workers in this process, and
 * {@link dev.carrot.rollout.ClusterRolloutService} adds the {@link dev.carrot.rollout.ClusterWorker}s of other
 * processes and machines, over a clustered Vert.x with Hazelcast. Requests and replies are JSON messages on the event
 * bus ({@code RolloutMessages}); weights never travel in messages: in-process workers share a {@code WeightStore},
 * cluster workers fetch each version from the trainer's authenticated HTTP endpoint or a shared directory and check
 * its SHA-256. A {@code ChunkDispatcher} spreads chunks over the workers by capacity and sees each answered exactly
 * once, through joins, leaves, failures, hangs and stale weights.
 *
 * <p>The cluster's classes live in this package rather than a sub-package because they build on its internals
 * (dispatcher, worker verticle, replicas, weight store, protocol), which stay package-private.
 */
package dev.carrot.rollout;
