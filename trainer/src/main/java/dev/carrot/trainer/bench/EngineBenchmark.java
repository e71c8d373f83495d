package dev.carrot.trainer.bench;

import dev.carrot.policy.generate.Generator;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.model.ForwardOutput;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.model.MaskedCrossEntropy;
import dev.carrot.policy.optim.AdamW;
import dev.carrot.policy.optim.AdamWConfig;
import dev.carrot.policy.optim.GradientClipping;
import dev.carrot.policy.tensor.Gemm;
import dev.carrot.policy.tensor.Matrix;
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

    /** Figures for one shape. */
    public record Result(double trainTokensPerSecond, double genTokensPerSecond, double trainFlopsPerSecond) {}

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
        return new Result(tokens / trainSeconds, GEN_PROMPTS * GEN_NEW_TOKENS / genSeconds, flops);
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
