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
        if (config.algorithm() == PpoConfig.Algorithm.PPO && !policy.config().valueHead()) {
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
        this.estimator = config.klEstimator();
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
        // Every draw of iteration i comes from here, in a fixed order: prompts, rollout seed, minibatch shuffles.
        SplittableRandom random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + iteration);
        Sampled sampled = collectRollouts(random);
        long rolled = System.nanoTime();
        List<Reward> rewards = score(sampled);
        long rewarded = System.nanoTime();
        TrainingBatch batch = TrainingBatch.of(sampled.completions(), rows(sampled), policy.tokenizer().pad(),
                policy.config().contextLength());
        Scoring scoring = scoringPass(batch);
        Targets targets = advantages(batch, scoring, rewards);
        UpdateStats stats = update(batch, scoring, targets, config.learningRateAt(iteration), random);
        syncWeights();
        kl.update(mean(targets.sequenceKl()), sampled.completions().size());
        long updated = System.nanoTime();
        return metrics(iteration, sampled, rewards, batch, scoring, targets, stats,
                new long[] {start, rolled, rewarded, updated});
    }

    /** Prompts and their completions; each prompt repeated samples_per_prompt times in a row (GRPO's groups). */
    private record Sampled(List<PromptRecord> prompts, List<Completion> completions) {}

    /** The scoring pass's old log-probs, reference log-probs and values [rows·T]. */
    private record Scoring(float[] oldLogprobs, float[] refLogprobs, float[] oldValues) {}

    /**
     * Per-token advantages and value targets [rows·T], each rollout's summed KL to the reference, and the KL
     * coefficient they were penalised with.
     */
    private record Targets(float[] advantages, float[] returns, double[] sequenceKl, double klBeta,
            double explainedVariance) {}

    /** What the updates did: loss sums over minibatches, their count, epochs run, first-epoch entropy. */
    private record UpdateStats(double policyLoss, double valueLoss, double valueClipfrac, double clipfrac,
            double approxKl, double entropy, int updates, int epochs) {}

    /** 1. Samples the iteration's prompts and generates their completions on the rollout workers. */
    private Sampled collectRollouts(SplittableRandom random) {
        List<PromptRecord> chosen = samplePrompts(random);
        List<String> texts = new ArrayList<>();
        for (PromptRecord record : chosen) {
            for (int k = 0; k < config.samplesPerPrompt(); k++) {
                texts.add(record.prompt());
            }
        }
        SamplingParams sampling = new SamplingParams(config.temperature(), 0, 1, config.maxNewTokens(),
                prompts.stop());
        return new Sampled(chosen, rollouts.generate(texts, sampling, random.nextLong()).join());
    }

    /** 2. Scores every completion with its record's references and metadata. */
    private List<Reward> score(Sampled sampled) {
        List<Rollout> scored = new ArrayList<>(sampled.completions().size());
        for (int i = 0; i < sampled.completions().size(); i++) {
            scored.add(sampled.prompts().get(i / config.samplesPerPrompt()).rollout(sampled.completions().get(i)));
        }
        return reward.score(scored);
    }

    /**
     * 3. Old log-probs, reference log-probs and values in minibatch-shaped chunks. The policy's pass is
     * batch-invariant so that the old log-probs are the numbers the workers sampled with (bitwise at temperature 1);
     * the reference's log-probs only enter the KL penalty and take the faster whole-batch products. The ratio, the
     * KL penalty and the entropy bonus are all of the policy that sampled: at the sampling temperature.
     */
    private Scoring scoringPass(TrainingBatch batch) {
        int mb = config.minibatchSize();
        int rows = batch.B;
        int T = batch.T;
        float temperature = config.temperature().floatValue();
        Scoring scoring = new Scoring(new float[rows * T], new float[rows * T], new float[rows * T]);
        for (int first = 0; first < rows; first += mb) {
            int[] ids = range(first, mb);
            int[] inputs = batch.gather(batch.inputs, ids);
            int[] targets = batch.gather(batch.targets, ids);
            ForwardOutput out = policy.model().forward(inputs, targets, mb, T, temperature,
                    ForwardMode.BATCH_INVARIANT);
            batch.scatter(out.logprobs(), ids, scoring.oldLogprobs());
            if (out.values() != null) {
                batch.scatter(out.values(), ids, scoring.oldValues());
            }
            batch.scatter(reference.forward(inputs, targets, mb, T, temperature).logprobs(), ids,
                    scoring.refLogprobs());
        }
        return scoring;
    }

    /**
     * 4. Advantages: the per-token reward −β·KL plus the scheme's reward on the last action, then GAE with the value
     * head (PPO); or each sequence's KL-penalised reward against its group's (GRPO, RLOO). Optionally whitened.
     */
    private Targets advantages(TrainingBatch batch, Scoring scoring, List<Reward> rewards) {
        int rows = batch.B;
        int T = batch.T;
        int n = rewards.size();
        double[] sequenceRewards = rewards.stream().mapToDouble(Reward::value).toArray();
        float[] klPerToken = estimator.perToken(scoring.oldLogprobs(), scoring.refLogprobs(), batch.mask);
        double beta = kl.beta();
        double[] sequenceKl = new double[n];
        for (int b = 0; b < n; b++) {
            for (int t = 0; t < T; t++) {
                sequenceKl[b] += klPerToken[b * T + t];
            }
        }
        float[] advantages;
        float[] returns = new float[rows * T];
        boolean critic = critic();
        if (critic) {
            float[] tokenRewards = new float[rows * T];
            for (int i = 0; i < rows * T; i++) {
                tokenRewards[i] = (float) (-beta * klPerToken[i]);
            }
            for (int b = 0; b < n; b++) {
                tokenRewards[batch.lastAction[b]] += (float) sequenceRewards[b];
            }
            Advantages.Gae gae = Advantages.gae(tokenRewards, scoring.oldValues(), batch.mask, rows, T,
                    config.gamma(), config.lambda());
            advantages = gae.advantages();
            returns = gae.returns();
        } else {
            double[] penalised = new double[n];
            for (int b = 0; b < n; b++) {
                penalised[b] = sequenceRewards[b] - beta * sequenceKl[b];
            }
            double[] perSequence = config.algorithm() == PpoConfig.Algorithm.GRPO
                    ? Advantages.grpo(penalised, config.samplesPerPrompt(), true)
                    : Advantages.rloo(penalised, config.samplesPerPrompt());
            advantages = Advantages.perToken(Arrays.copyOf(perSequence, rows), batch.mask, rows, T);
        }
        if (config.whitenAdvantages()) {
            advantages = Advantages.whiten(advantages, batch.mask, true);
        }
        double explained = critic ? PpoLosses.explainedVariance(scoring.oldValues(), returns, batch.mask) : Double.NaN;
        return new Targets(advantages, returns, sequenceKl, beta, explained);
    }

    /**
     * 5. Epochs of minibatch updates of the clipped surrogate (+ clipped value loss, − entropy bonus) at the
     * iteration's learning rate, stopping early once an epoch's mean approximate KL passes target_kl.
     */
    private UpdateStats update(TrainingBatch batch, Scoring scoring, Targets targets, double learningRate,
            SplittableRandom random) {
        Gpt model = policy.model();
        int mb = config.minibatchSize();
        int rows = batch.B;
        int T = batch.T;
        float temperature = config.temperature().floatValue();
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
                PpoLosses.PolicyLoss pl = PpoLosses.clippedSurrogate(out.logprobs(),
                        batch.gather(scoring.oldLogprobs(), ids), batch.gather(targets.advantages(), ids), mask,
                        config.clip());
                PpoLosses.EntropyBonus eb = PpoLosses.entropyBonus(out.entropy(), mask, config.entropyCoef());
                float[] dValues = null;
                if (critic()) {
                    PpoLosses.ValueLoss vl = PpoLosses.clippedValue(out.values(), batch.gather(scoring.oldValues(),
                            ids), batch.gather(targets.returns(), ids), mask, config.valueClip());
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
                optimizer.step(model.gradients(), learningRate);
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
        return new UpdateStats(policyLoss, valueLoss, valueClipfrac, clipfrac, approxKl, entropy, updates, epochs);
    }

    /** 6. Publishes the updated weights to the rollout workers as the next version. */
    private void syncWeights() {
        weightsVersion++;
        rollouts.publishWeights(policy.model().parameters(), weightsVersion);
    }

    /** 7. The iteration's metrics line; {@code times} are the clock at start, rolled out, rewarded and updated. */
    private IterationMetrics metrics(int iteration, Sampled sampled, List<Reward> rewards, TrainingBatch batch,
            Scoring scoring, Targets targets, UpdateStats stats, long[] times) {
        int rows = batch.B;
        int T = batch.T;
        int completions = sampled.completions().size();
        // Workers report log-probs at temperature 1, so they can be compared with the trainer's only there.
        double gap = Double.NaN;
        if (config.temperature().floatValue() == 1f) {
            gap = 0;
            for (int i = 0; i < rows * T; i++) {
                gap += batch.mask[i] * Math.abs(batch.samplingLogprobs[i] - scoring.oldLogprobs()[i]);
            }
        }
        double actions = Masked.sum(batch.mask, batch.mask);
        double seconds = (times[3] - times[0]) / 1e9;
        Map<String, Double> categories = new LinkedHashMap<>();
        for (Reward r : rewards) {
            String key = r.components().containsKey(GuardedScheme.FAILURE_COMPONENT) ? "failed"
                    : r.category() == null ? "ungraded" : r.category().name().toLowerCase();
            categories.merge(key, 1.0 / rewards.size(), Double::sum);
        }
        Map<String, Integer> byWorker = new TreeMap<>();
        for (Completion c : sampled.completions()) {
            byWorker.merge(c.worker(), 1, Integer::sum);
        }
        double[] values = rewards.stream().mapToDouble(Reward::value).toArray();
        int n = Math.max(1, stats.updates());
        int firstEpochUpdates = Math.max(1, rows / config.minibatchSize());
        IterationMetrics.Rollouts rolled = new IterationMetrics.Rollouts(completions, mean(values), std(values),
                mean(targets.sequenceKl()), targets.klBeta(), gap / actions, actions / completions, weightsVersion - 1,
                categories, byWorker);
        IterationMetrics.Update update = new IterationMetrics.Update(stats.entropy() / firstEpochUpdates,
                stats.approxKl() / n, stats.clipfrac() / n, stats.policyLoss() / n, stats.valueLoss() / n,
                stats.valueClipfrac() / n, targets.explainedVariance(), stats.epochs());
        IterationMetrics.Timing timing = new IterationMetrics.Timing(
                (actions + (double) rows * T * (1 + stats.epochs())) / seconds, (times[1] - times[0]) / 1e9,
                (times[2] - times[1]) / 1e9, (times[3] - times[2]) / 1e9);
        return new IterationMetrics(iteration, rolled, update, timing);
    }

    private boolean critic() {
        return config.algorithm() == PpoConfig.Algorithm.PPO;
    }

    /** Completions padded up to whole minibatches. */
    private int rows(Sampled sampled) {
        int mb = config.minibatchSize();
        return (sampled.completions().size() + mb - 1) / mb * mb;
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
