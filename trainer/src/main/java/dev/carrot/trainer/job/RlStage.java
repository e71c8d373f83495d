package dev.carrot.trainer.job;

import dev.carrot.common.InvalidInputException;
import dev.carrot.policy.Policy;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rollout.RolloutService;
import dev.carrot.trainer.ppo.PpoConfig;
import dev.carrot.trainer.ppo.PpoRun;
import dev.carrot.trainer.ppo.RlPrompts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The RL stage of every job: fine-tunes a policy on prompts against a reward with PPO, GRPO or RLOO on rollout
 * workers, writing metrics and run checkpoints to its directory. A general RL job ({@link RlJob}) is this stage
 * between two evaluations; the calibration experiment runs it after its own world, pretraining and SFT stages.
 */
public record RlStage(PpoConfig ppo, RewardScheme reward, RlPrompts prompts) {

    /**
     * The policy the stage starts from: {@code policy} itself, or with a fresh value head when PPO needs a critic and
     * it has none. Rollout workers hold this layout too (generation ignores the head), so that the weights the
     * trainer publishes always match their replicas.
     */
    public Policy startingPolicy(Policy policy) {
        return ppo.algorithm() == PpoConfig.Algorithm.PPO && !policy.config().valueHead()
                ? new Policy(new Gpt(policy.model().parameters().withValueHead(), new JavaKernels()),
                        policy.tokenizer())
                : policy;
    }

    /** Refuses to start over a run interrupted in {@code dir} unless told to resume it: nothing is lost silently. */
    public static void requireResumeOfInterruptedRun(Path dir, boolean resume) {
        if (Files.exists(dir.resolve(PpoRun.CHECKPOINT)) && !resume) {
            throw new InvalidInputException(dir + " holds an interrupted run: pass --resume to continue it, or choose"
                    + " another --out");
        }
    }

    /**
     * Trains {@code start} (a {@link #startingPolicy}) in {@code dir} against a frozen copy of itself as the KL
     * reference; resumes from {@code dir}'s run checkpoint only when {@code resume} says so.
     *
     * @param evaluate the held-out figures logged every {@code ppo.eval_every} iterations
     */
    public Policy run(Policy start, RolloutService rollouts, Path dir, boolean resume,
            Function<Policy, Map<String, Double>> evaluate, Consumer<String> log) throws IOException {
        requireResumeOfInterruptedRun(dir, resume);
        Gpt reference = new Gpt(start.model().parameters().copy(), new JavaKernels());
        return PpoRun.run(ppo, start, reference, rollouts, reward, prompts, dir, evaluate, log);
    }
}
