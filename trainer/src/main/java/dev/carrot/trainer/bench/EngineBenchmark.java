package dev.carrot.trainer.bench;

import dev.carrot.policy.generate.Generator;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.model.ForwardMode;
import dev.carrot.policy.model.ForwardOutput;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.model.MaskedCrossEntropy;
import dev.carrot.policy.optim.AdamW;
import dev.carrot.policy.optim.AdamWConfig;
import dev.carrot.policy.optim.GradientClipping;
import dev.carrot.policy.tensor.Gemm;
import dev.carrot.policy.tensor.Matrix;
import dev.carrot.trainer.rl.PpoLosses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures the engine on one shape the way {@code tools/reference/peer_bench.py} measures PyTorch: one warm-up
 * repetition, then the median of timed repetitions.
 */
public final class EngineBenchmark {

    /** Generation workload: 16 prompts of 16 tokens, 48 new tokens each, sampled at temperature 1. */
    static final int GEN_PROMPTS = 16;
    static final int GEN_PROMPT_TOKENS = 16;
    static final int GEN_NEW_TOKENS = 48;
    static final int GEMM_SIZE = 1024;

    /** PPO step settings, the peer script's: clip, value clip, value and entropy coefficients. */
    static final double PPO_CLIP = 0.2;
    static final double PPO_VALUE_CLIP = 0.2;
    static final double PPO_VALUE_COEF = 0.5;
    static final double PPO_ENTROPY_COEF = 0.01;

    /**
     * Figures for one shape: training, PPO update and generation rates, training FLOP/s, and the forward pass alone
     * in its fast and its batch-invariant mode (the price of rollouts and scoring passes that agree bitwise).
     */
    public record Result(double trainTokensPerSecond, double ppoTokensPerSecond, double genTokensPerSecond,
            double trainFlopsPerSecond, double forwardTokensPerSecond, double invariantForwardTokensPerSecond) {}

    private final Kernels kernels;

    public EngineBenchmark(Kernels kernels) {
        this.kernels = kernels;
    }

    /** fp32 GEMM rate in GFLOP/s: the median of 20 products of two 1024×1024 matrices, through the engine's gemm. */
    public static double gemmGflops() {
        Matrix a = randomMatrix(GEMM_SIZE, GEMM_SIZE, 1);
        Matrix b = randomMatrix(GEMM_SIZE, GEMM_SIZE, 2);
        Matrix c = Matrix.zeros(GEMM_SIZE, GEMM_SIZE);
        double seconds = medianSeconds(() -> Gemm.matmul(c, a, false, b, false, 0f), 20);
        return 2.0 * GEMM_SIZE * GEMM_SIZE * GEMM_SIZE / seconds / 1e9;
    }

    public Result run(BenchShape shape) {
        SplittableRandom random = new SplittableRandom(1);
        Gpt model = new Gpt(GptParameters.initialized(shape.config(), 1), kernels);
        AdamW optimizer = new AdamW(model.parameters(), AdamWConfig.DEFAULT);
        int B = shape.batch();
        int T = shape.steps();
        int[] inputs = tokens(random, B * T, shape.vocab());
        int[] targets = tokens(random, B * T, shape.vocab());
        double trainSeconds = medianSeconds(() -> {
            model.zeroGradients();
            ForwardOutput out = model.forward(inputs, targets, B, T);
            model.backward(MaskedCrossEntropy.of(out.logprobs(), null).dLogprobs(), null, null);
            GradientClipping.clip(model.gradients(), 1.0);
            optimizer.step(model.gradients(), 1e-4);
        }, shape.repetitions());

        double ppoSeconds = medianSeconds(ppoStep(shape, random), shape.repetitions());
        double forwardSeconds = medianSeconds(() -> model.forward(inputs, targets, B, T, 1f, ForwardMode.FAST),
                shape.repetitions());
        double invariantSeconds = medianSeconds(() -> model.forward(inputs, targets, B, T, 1f,
                ForwardMode.BATCH_INVARIANT), shape.repetitions());

        Generator generator = Generator.forTokens(model);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < GEN_PROMPTS; i++) {
            prompts.add(tokens(random, GEN_PROMPT_TOKENS, shape.vocab()));
        }
        SamplingParams sampling = SamplingParams.sampling(1.0, GEN_NEW_TOKENS);
        long[] seed = {0};
        double genSeconds = medianSeconds(() -> generator.generate(prompts, sampling, seed[0]++), shape.repetitions());

        double tokens = shape.tokensPerStep();
        double flops = shape.config().trainingFlopsPerToken(T) * tokens / trainSeconds;
        return new Result(tokens / trainSeconds, tokens / ppoSeconds, GEN_PROMPTS * GEN_NEW_TOKENS / genSeconds, flops,
                tokens / forwardSeconds, tokens / invariantSeconds);
    }

    /**
     * One PPO update over B·T tokens, as the peer script times it: log-probs of the taken actions, entropies and
     * values; the clipped surrogate against fixed old log-probs and advantages, the clipped value loss and an entropy
     * bonus over a response mask (a quarter-length prompt, responses ending at varied lengths); backward, global-norm
     * clipping and AdamW — with the same loss functions the trainer uses.
     */
    private Runnable ppoStep(BenchShape shape, SplittableRandom random) {
        int B = shape.batch();
        int T = shape.steps();
        Gpt model = new Gpt(GptParameters.initialized(shape.config().withValueHead(true), 2), kernels);
        AdamW optimizer = new AdamW(model.parameters(), AdamWConfig.DEFAULT);
        int[] inputs = tokens(random, B * T, shape.vocab());
        int[] actions = tokens(random, B * T, shape.vocab());
        float[] mask = new float[B * T];
        for (int b = 0; b < B; b++) {
            int end = T / 2 + random.nextInt(T - T / 2 + 1);
            for (int t = T / 4; t < end; t++) {
                mask[b * T + t] = 1f;
            }
        }
        ForwardOutput start = model.forward(inputs, actions, B, T);
        float[] oldLogprobs = start.logprobs().clone();
        float[] oldValues = start.values().clone();
        float[] advantages = new float[B * T];
        float[] returns = new float[B * T];
        for (int n = 0; n < B * T; n++) {
            oldLogprobs[n] += (float) (0.05 * random.nextGaussian());
            advantages[n] = (float) random.nextGaussian();
            returns[n] = oldValues[n] + (float) random.nextGaussian();
        }
        return () -> {
            ForwardOutput out = model.forward(inputs, actions, B, T);
            PpoLosses.PolicyLoss policy = PpoLosses.clippedSurrogate(out.logprobs(), oldLogprobs, advantages, mask,
                    PPO_CLIP);
            PpoLosses.ValueLoss value = PpoLosses.clippedValue(out.values(), oldValues, returns, mask, PPO_VALUE_CLIP);
            PpoLosses.EntropyBonus entropy = PpoLosses.entropyBonus(out.entropy(), mask, PPO_ENTROPY_COEF);
            float[] dValues = value.dValues();
            for (int n = 0; n < dValues.length; n++) {
                dValues[n] *= (float) PPO_VALUE_COEF;
            }
            model.zeroGradients();
            model.backward(policy.dLogprobs(), entropy.dEntropy(), dValues);
            GradientClipping.clip(model.gradients(), 1.0);
            optimizer.step(model.gradients(), 1e-4);
        };
    }

    static double medianSeconds(Runnable work, int repetitions) {
        work.run(); // warm-up: JIT, buffer allocation
        double[] times = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            work.run();
            times[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(times);
        return repetitions % 2 == 1 ? times[repetitions / 2]
                : (times[repetitions / 2 - 1] + times[repetitions / 2]) / 2;
    }

    private static int[] tokens(SplittableRandom random, int count, int vocab) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = random.nextInt(vocab);
        }
        return ids;
    }

    /** A matrix of standard normal values drawn from {@code seed}. */
    static Matrix randomMatrix(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Matrix m = Matrix.zeros(rows, cols);
        m.copyFrom(values);
        return m;
    }
}
