/**
 * Rollout workers: generation of policy completions on Vert.x worker verticles, each with its own replica of the
 * policy, for PPO, evaluation and serving ({@link dev.carrot.rollout.serve.OpenAiServer}, OpenAI's HTTP API). {@link dev.carrot.rollout.RolloutService} is the interface the trainer uses;
 * {@link dev.carrot.rollout.LocalRolloutService} runs the workers in this process. Requests and replies are JSON
 * messages on the event bus ({@code RolloutMessages}), so the protocol can span processes; weights are shared
 * through a {@code WeightStore}, never sent in messages.
 */
package dev.carrot.rollout;
