package dev.carrot.policy.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    private final GptConfig config = new GptConfig(5, 4, 4, 1, 2, true, true);

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
