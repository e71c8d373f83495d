package dev.carrot.trainer.ppo;

import dev.carrot.evaluation.dataset.PromptRecord;
import dev.carrot.policy.Policy;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.model.ForwardMode;
import dev.carrot.policy.model.ForwardOutput;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.optim.AdamW;
import dev.carrot.policy.optim.AdamWConfig;
import dev.carrot.policy.optim.GradientClipping;
import dev.carrot.rewards.GuardedScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.Rollout;
import dev.carrot.rollout.Completion;
import dev.carrot.rollout.RolloutService;
import dev.carrot.trainer.rl.Advantages;
import dev.carrot.trainer.rl.KlController;
import dev.carrot.trainer.rl.KlEstimator;
import dev.carrot.trainer.rl.Masked;
import dev.carrot.trainer.rl.PpoLosses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * RL fine-tuning of a policy against a reward scheme, one iteration at a time:
 * <ol>
 *   <li>sample prompts from the RL set and generate completions on the rollout workers;</li>
 *   <li>score them with the reward scheme;</li>
 *   <li>recompute, with the trainer's own forward pass, the actions' log-probs under the current policy (the
 *       "old" policy of the ratio), under the frozen reference policy (for the KL penalty), and the values;</li>
 *   <li>turn rewards into advantages: per-token reward −β·KL plus the scheme's reward on the last token, then GAE
 *       with the value head (PPO), or group baselines over several completions of one prompt (GRPO, RLOO);</li>
 *   <li>run epochs of minibatch updates of the clipped surrogate (+ clipped value loss, − entropy bonus), stopping
 *       early once the update's approximate KL passes the target;</li>
 *   <li>publish the new weights to the workers.</li>
 * </ol>
 * Every random draw of iteration i comes from the seed and i, so a resumed run continues exactly.
 */
public final class PpoTrainer {

    private final PpoConfig config;
    private final Policy policy;
    private final Gpt reference;
    private final RolloutService rollouts;
    private final RewardScheme reward;
    private final RlPrompts prompts;
    private final AdamW optimizer;
    private final KlController kl;
    private final KlEstimator estimator;
    private long weightsVersion;

    /**
     * @param policy    the policy to train; with a value head for PPO
     * @param reference the frozen starting policy the KL penalty holds the policy near
     * @param prompts   the RL prompt set: prompts in the policy's format, their references and metadata
     * @param weightsVersion the version the workers hold now
     * @param klBeta    the KL coefficient to start from: {@code kl_coef}, or a resumed run's adapted value
     */
    public PpoTrainer(PpoConfig config, Policy policy, Gpt reference, RolloutService rollouts, RewardScheme reward,
            RlPrompts prompts, long weightsVersion, double klBeta) {
        if (config.parsedAlgorithm() == PpoConfig.Algorithm.PPO && !policy.config().valueHead()) {
            throw new IllegalArgumentException("PPO needs a policy with a value head");
        }
        this.config = config;
        this.policy = policy;
        this.reference = reference;
        this.rollouts = rollouts;
        this.reward = reward;
        this.prompts = prompts;
        this.optimizer = new AdamW(policy.model().parameters(), new AdamWConfig(0.9, 0.999, 1e-8, 0.0));
        this.kl = config.klTarget() > 0 ? KlController.adaptive(klBeta, config.klTarget(), config.klHorizon())
                : KlController.fixed(klBeta);
        this.estimator = config.klEstimator().equals("k3") ? KlEstimator.K3 : KlEstimator.K1;
        this.weightsVersion = weightsVersion;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public KlController klController() {
        return kl;
    }

    public long weightsVersion() {
        return weightsVersion;
    }

    /** Runs iteration {@code iteration} (counted from 0) and publishes the updated weights. */
    public IterationMetrics iterate(int iteration) {
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + iteration);
        Gpt model = policy.model();

        // 1. Prompts, each repeated samples_per_prompt times in a row: the groups of GRPO and RLOO.
        List<PromptRecord> chosen = samplePrompts(random);
        List<String> texts = new ArrayList<>();
        for (PromptRecord record : chosen) {
            for (int k = 0; k < config.samplesPerPrompt(); k++) {
                texts.add(record.prompt());
            }
        }
        SamplingParams sampling = new SamplingParams(config.temperature(), 0, 1, config.maxNewTokens(),
                prompts.stop());
        List<Completion> completions = rollouts.generate(texts, sampling, random.nextLong()).join();
        // The ratio, the KL penalty and the entropy bonus are all of the policy that sampled: at this temperature.
        float temperature = config.temperature().floatValue();
        long rolled = System.nanoTime();

        // 2. Rewards.
        List<Rollout> scored = new ArrayList<>(completions.size());
        for (int i = 0; i < completions.size(); i++) {
            PromptRecord record = chosen.get(i / config.samplesPerPrompt());
            Completion c = completions.get(i);
            scored.add(new Rollout(c.prompt(), c.text(), c.tokens(), record.references(), record.metadata()));
        }
        List<Reward> rewards = reward.score(scored);
        double[] sequenceRewards = rewards.stream().mapToDouble(Reward::value).toArray();
        long rewarded = System.nanoTime();

        // 3. Old log-probs, reference log-probs and values, in minibatch-shaped chunks.
        int mb = config.minibatchSize();
        int rows = ((completions.size() + mb - 1) / mb) * mb;
        TrainingBatch batch = TrainingBatch.of(completions, rows, policy.tokenizer().pad(),
                model.config().contextLength());
        int T = batch.T;
        float[] oldLogprobs = new float[rows * T];
        float[] refLogprobs = new float[rows * T];
        float[] oldValues = new float[rows * T];
        for (int first = 0; first < rows; first += mb) {
            int[] ids = range(first, mb);
            int[] inputs = batch.gather(batch.inputs, ids);
            int[] targets = batch.gather(batch.targets, ids);
            // Batch-invariant, so that the old log-probs are the numbers the workers sampled with (bitwise at T = 1).
            ForwardOutput out = model.forward(inputs, targets, mb, T, temperature, ForwardMode.BATCH_INVARIANT);
            batch.scatter(out.logprobs(), ids, oldLogprobs);
            if (out.values() != null) {
                batch.scatter(out.values(), ids, oldValues);
            }
            batch.scatter(reference.forward(inputs, targets, mb, T, temperature, ForwardMode.BATCH_INVARIANT).logprobs(),
                    ids, refLogprobs);
        }

        // 4. Advantages.
        float[] klPerToken = estimator.perToken(oldLogprobs, refLogprobs, batch.mask);
        double beta = kl.beta();
        double[] sequenceKl = new double[completions.size()];
        for (int b = 0; b < completions.size(); b++) {
            for (int t = 0; t < T; t++) {
                sequenceKl[b] += klPerToken[b * T + t];
            }
        }
        float[] advantages;
        float[] returns = new float[rows * T];
        boolean critic = config.parsedAlgorithm() == PpoConfig.Algorithm.PPO;
        if (critic) {
            float[] tokenRewards = new float[rows * T];
            for (int n = 0; n < rows * T; n++) {
                tokenRewards[n] = (float) (-beta * klPerToken[n]);
            }
            for (int b = 0; b < completions.size(); b++) {
                tokenRewards[batch.lastAction[b]] += (float) sequenceRewards[b];
            }
            Advantages.Gae gae = Advantages.gae(tokenRewards, oldValues, batch.mask, rows, T, config.gamma(),
                    config.lambda());
            advantages = gae.advantages();
            returns = gae.returns();
        } else {
            double[] penalised = new double[rows];
            for (int b = 0; b < completions.size(); b++) {
                penalised[b] = sequenceRewards[b] - beta * sequenceKl[b];
            }
            double[] real = Arrays.copyOf(penalised, completions.size());
            double[] perSequence = config.parsedAlgorithm() == PpoConfig.Algorithm.GRPO
                    ? Advantages.grpo(real, config.samplesPerPrompt(), true)
                    : Advantages.rloo(real, config.samplesPerPrompt());
            advantages = Advantages.perToken(Arrays.copyOf(perSequence, rows), batch.mask, rows, T);
        }
        if (config.whitenAdvantages()) {
            advantages = Advantages.whiten(advantages, batch.mask, true);
        }
        double explained = critic ? PpoLosses.explainedVariance(oldValues, returns, batch.mask) : Double.NaN;

        // 5. Updates.
        double policyLoss = 0;
        double valueLoss = 0;
        double valueClipfrac = 0;
        double clipfrac = 0;
        double approxKl = 0;
        double entropy = 0;
        int updates = 0;
        int epochs = 0;
        int[] order = range(0, rows);
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            shuffle(order, random);
            double epochKl = 0;
            int epochUpdates = 0;
            for (int first = 0; first < rows; first += mb) {
                int[] ids = Arrays.copyOfRange(order, first, first + mb);
                float[] mask = batch.gather(batch.mask, ids);
                if (Masked.sum(mask, mask) == 0) {
                    continue; // a minibatch of padding rows only
                }
                ForwardOutput out = model.forward(batch.gather(batch.inputs, ids), batch.gather(batch.targets, ids),
                        mb, T, temperature);
                PpoLosses.PolicyLoss pl = PpoLosses.clippedSurrogate(out.logprobs(), batch.gather(oldLogprobs, ids),
                        batch.gather(advantages, ids), mask, config.clip());
                PpoLosses.EntropyBonus eb = PpoLosses.entropyBonus(out.entropy(), mask, config.entropyCoef());
                float[] dValues = null;
                if (critic) {
                    PpoLosses.ValueLoss vl = PpoLosses.clippedValue(out.values(), batch.gather(oldValues, ids),
                            batch.gather(returns, ids), mask, config.valueClip());
                    dValues = vl.dValues();
                    for (int i = 0; i < dValues.length; i++) {
                        dValues[i] *= config.valueCoef().floatValue();
                    }
                    valueLoss += vl.loss();
                    valueClipfrac += vl.clipFraction();
                }
                model.zeroGradients();
                model.backward(pl.dLogprobs(), eb.dEntropy(), dValues);
                GradientClipping.clip(model.gradients(), config.gradClip());
                optimizer.step(model.gradients(), config.learningRate());
                policyLoss += pl.loss();
                clipfrac += pl.clipFraction();
                approxKl += pl.approxKl();
                entropy += epoch == 0 ? eb.meanEntropy() : 0;
                epochKl += pl.approxKl();
                updates++;
                epochUpdates++;
            }
            epochs++;
            if (config.targetKl() > 0 && epochUpdates > 0 && epochKl / epochUpdates > config.targetKl()) {
                break;
            }
        }
        int firstEpochUpdates = Math.max(1, rows / mb);
        weightsVersion++;
        rollouts.publishWeights(model.parameters(), weightsVersion);
        kl.update(mean(sequenceKl), completions.size());
        long updated = System.nanoTime();

        // Workers report log-probs at temperature 1, so they can be compared with the trainer's only there.
        double gap = Double.NaN;
        if (temperature == 1f) {
            gap = 0;
            for (int n = 0; n < rows * T; n++) {
                gap += batch.mask[n] * Math.abs(batch.samplingLogprobs[n] - oldLogprobs[n]);
            }
        }
        double actions = Masked.sum(batch.mask, batch.mask);
        double completionTokens = actions / completions.size();
        double seconds = (updated - start) / 1e9;
        Map<String, Double> categories = new LinkedHashMap<>();
        for (Reward r : rewards) {
            String key = r.components().containsKey(GuardedScheme.FAILURE_COMPONENT) ? "failed"
                    : r.category() == null ? "ungraded" : r.category().name().toLowerCase();
            categories.merge(key, 1.0 / rewards.size(), Double::sum);
        }
        Map<String, Integer> byWorker = new TreeMap<>();
        for (Completion c : completions) {
            byWorker.merge(c.worker(), 1, Integer::sum);
        }
        int n = Math.max(1, updates);
        return new IterationMetrics(iteration, completions.size(), mean(sequenceRewards), std(sequenceRewards),
                mean(sequenceKl), beta, entropy / firstEpochUpdates, approxKl / n, clipfrac / n, policyLoss / n,
                valueLoss / n, valueClipfrac / n, explained, gap / actions, completionTokens,
                (actions + (double) rows * T * (1 + epochs)) / seconds, (rolled - start) / 1e9,
                (rewarded - rolled) / 1e9, (updated - rewarded) / 1e9, epochs, weightsVersion - 1, categories,
                byWorker);
    }

    private List<PromptRecord> samplePrompts(SplittableRandom random) {
        List<PromptRecord> chosen = new ArrayList<>(config.promptsPerIteration());
        int[] order = range(0, prompts.records().size());
        shuffle(order, random);
        for (int i = 0; i < config.promptsPerIteration(); i++) {
            chosen.add(prompts.records().get(order[i % order.length]));
        }
        return chosen;
    }

    private static int[] range(int first, int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = first + i;
        }
        return ids;
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static double std(double[] values) {
        double m = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - m) * (v - m)).average().orElse(0));
    }
}
