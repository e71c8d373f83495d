package dev.carrot.policy.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tensor.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    private final GptConfig config = new GptConfig(5, 4, 4, 1, 2, true, true);
    /** ~107k parameters: a dozen of the optimizer's chunks, split into several ranges, tensors straddling chunks. */
    private final GptConfig larger = new GptConfig(50, 16, 64, 2, 4, false, true);

    @Test
    void adamWMatchesTheFormulaAndDecaysOnlyMatrices() {
        GptParameters params = GptParameters.zeros(config);
        params.flat().fill(0.5f);
        GptParameters grads = GptParameters.zeros(config);
        grads.flat().fill(0.2f);
        AdamW adam = new AdamW(params, new AdamWConfig(0.9, 0.99, 1e-8, 0.1));
        double lr = 0.01;
        adam.step(grads, lr);
        adam.step(grads, lr);
        // Constant gradient g: m̂ = g and v̂ = g² after bias correction, so each step moves by lr·g/(|g| + ε) = lr.
        double decayed = 0.5;
        double plain = 0.5;
        for (int step = 0; step < 2; step++) {
            decayed = decayed * (1 - lr * 0.1) - lr * 0.2 / (0.2 + 1e-8);
            plain = plain - lr * 0.2 / (0.2 + 1e-8);
        }
        assertEquals(decayed, params.wte().get(2, 1), 1e-6);
        assertEquals(decayed, params.block(0).attnWeight().get(1, 3), 1e-6);
        assertEquals(plain, params.block(0).attnBias().get(0, 3), 1e-6);
        assertEquals(plain, params.lnfWeight().get(0, 0), 1e-6);
        assertEquals(plain, params.valueBias().get(0, 0), 1e-6);
        assertEquals(2, adam.steps());
    }

    @Test
    void adamWMatchesAnElementByElementReferenceToTheBitOnAnyThreadCount() {
        SplittableRandom random = new SplittableRandom(7);
        GptParameters params = GptParameters.initialized(larger, 3);
        GptParameters expected = GptParameters.initialized(larger, 3);
        GptParameters grads = GptParameters.zeros(larger);
        AdamWConfig adamConfig = new AdamWConfig(0.9, 0.95, 1e-8, 0.1);
        AdamW adam = new AdamW(params, adamConfig);
        float[] m = new float[Math.toIntExact(params.count())];
        float[] v = new float[m.length];
        int threads = Parallel.threads();
        try {
            for (int step = 1; step <= 3; step++) {
                Parallel.setThreads(step); // 1, 2 and 3 threads: the split must not matter
                for (int i = 0; i < m.length; i++) {
                    grads.flat().floats().put(i, (float) random.nextGaussian());
                }
                adam.step(grads, 1e-3);
                referenceStep(expected, grads, m, v, adamConfig, 1e-3, step);
            }
        } finally {
            Parallel.setThreads(threads);
        }
        assertArrayEquals(expected.flat().toArray(), params.flat().toArray());
        assertArrayEquals(m, adam.firstMoment().flat().toArray());
        assertArrayEquals(v, adam.secondMoment().flat().toArray());
    }

    /** The update one element at a time, straight from the formula, in float as the optimizer computes it. */
    private static void referenceStep(GptParameters params, GptParameters grads, float[] m, float[] v,
            AdamWConfig config, double lr, long step) {
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float stepSize = (float) (lr / (1 - Math.pow(config.beta1(), step)));
        float rootCorrection2 = (float) Math.sqrt(1 - Math.pow(config.beta2(), step));
        for (GptParameters.Spec spec : params.specs()) {
            float decay = spec.decayed() ? (float) (1 - lr * config.weightDecay()) : 1f;
            for (long i = spec.offset(); i < spec.offset() + spec.size(); i++) {
                int n = Math.toIntExact(i);
                float g = grads.flat().floats().get(n);
                m[n] = b1 * m[n] + (1 - b1) * g;
                v[n] = b2 * v[n] + (1 - b2) * g * g;
                float w = params.flat().floats().get(n);
                params.flat().floats().put(n, w * decay
                        - stepSize * m[n] / ((float) Math.sqrt(v[n]) / rootCorrection2 + (float) config.epsilon()));
            }
        }
    }

    @Test
    void globalNormIsTheSameToTheBitOnAnyThreadCountAndMatchesAPlainSum() {
        GptParameters grads = GptParameters.initialized(larger, 5);
        double plain = 0;
        for (float x : grads.flat().toArray()) {
            plain += (double) x * x;
        }
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            double one = GradientClipping.globalNorm(grads);
            Parallel.setThreads(3);
            double three = GradientClipping.globalNorm(grads);
            assertEquals(one, three, 0.0);
            assertEquals(Math.sqrt(plain), one, 1e-12 * one);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void clippingScalesToTheMaxNormAndReportsTheOriginal() {
        GptParameters grads = GptParameters.zeros(config);
        grads.flat().fill(1f);
        double n = Math.sqrt(grads.count());
        assertEquals(n, GradientClipping.clip(grads, 1.0), 1e-6);
        assertEquals(1.0, GradientClipping.globalNorm(grads), 1e-5);
        assertEquals(1.0, GradientClipping.clip(grads, 10.0), 1e-5); // below the bound: untouched
        assertEquals(1.0, GradientClipping.globalNorm(grads), 1e-5);
    }

    @Test
    void scheduleWarmsUpLinearlyThenFollowsACosineToTheFloor() {
        LearningRateSchedule s = new LearningRateSchedule(1.0, 0.1, 10, 110);
        assertEquals(0.1, s.at(0), 1e-12);
        assertEquals(1.0, s.at(9), 1e-12);
        assertEquals(1.0, s.at(10), 1e-12);
        assertEquals(0.55, s.at(60), 1e-12); // halfway through the cosine
        assertEquals(0.1, s.at(110), 1e-12);
        assertEquals(0.1, s.at(500), 1e-12);
    }
}
