package dev.carrot.policy.model;

import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.tensor.Matrix;
import java.util.SplittableRandom;

/** Small models and batches for tests, with weights large enough that gradients are far from zero. */
public final class TinyModels {

    private TinyModels() {}

    public static GptConfig config(boolean tied, boolean valueHead) {
        return new GptConfig(23, 8, 12, 2, 3, tied, valueHead);
    }

    /** Parameters drawn N(0, 0.3), LayerNorm gains around 1, so every path carries signal. */
    public static GptParameters randomParameters(GptConfig config, long seed) {
        GptParameters p = GptParameters.zeros(config);
        SplittableRandom random = new SplittableRandom(seed);
        for (GptParameters.Spec spec : p.specs()) {
            Matrix m = p.get(spec.name());
            boolean gain = spec.name().contains("ln_") && spec.name().endsWith(".weight");
            float[] values = new float[Math.toIntExact(spec.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((gain ? 1 : 0) + 0.3 * random.nextGaussian());
            }
            m.copyFrom(values);
        }
        return p;
    }

    public static Gpt model(GptConfig config, long seed, Kernels kernels) {
        return new Gpt(randomParameters(config, seed), kernels);
    }

    public static int[] randomTokens(int count, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = random.nextInt(vocab);
        }
        return ids;
    }

    public static float[] randomVector(int count, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (scale * random.nextGaussian());
        }
        return v;
    }
}
