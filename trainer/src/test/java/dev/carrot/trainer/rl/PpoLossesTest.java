package dev.carrot.trainer.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class PpoLossesTest {

    private static final double CLIP = 0.2;

    @Test
    void clippedSurrogateMatchesHandComputedValues() {
        // ratios 1, 1.5, 1.5, 0.5 (old logprobs 0), then a padding token whose garbage must not count; N = 4
        float ln15 = (float) Math.log(1.5);
        float ln05 = (float) Math.log(0.5);
        float[] logprobs = {0, ln15, ln15, ln05, 7};
        float[] old = {0, 0, 0, 0, -7};
        float[] advantages = {2, 1, -1, -1, 100};
        float[] mask = {1, 1, 1, 1, 0};
        PpoLosses.PolicyLoss loss = PpoLosses.clippedSurrogate(logprobs, old, advantages, mask, CLIP);
        // t0: r = 1, A = 2:     max(−2, −2) = −2                    inside      → grad −A·r/N = −2/4 = −0.5
        // t1: r = 1.5, A = 1:   max(−1.5, −1·1.2 = −1.2) = −1.2     clipped binds → grad 0
        // t2: r = 1.5, A = −1:  max(1.5, 1.2) = 1.5                 unclipped    → grad 1.5/4 = 0.375
        // t3: r = 0.5, A = −1:  max(0.5, 0.8) = 0.8                 clipped binds → grad 0
        // loss = (−2 − 1.2 + 1.5 + 0.8)/4 = −0.9/4 = −0.225
        assertEquals(-0.225, loss.loss(), 1e-6);
        assertArrayEquals(new float[] {-0.5f, 0, 0.375f, 0, 0}, loss.dLogprobs(), 1e-6f);
        // t1, t2, t3 have |r − 1| = 0.5 > 0.2 → 3/4
        assertEquals(0.75, loss.clipFraction(), 0);
        // ½(0 + ln²1.5 + ln²1.5 + ln²0.5)/4 = ½(0.164402 + 0.164402 + 0.480453)/4 ≈ 0.101157
        double l15 = Math.log(1.5);
        double l05 = Math.log(0.5);
        assertEquals(0.5 * (2 * l15 * l15 + l05 * l05) / 4, loss.approxKl(), 1e-7);
        // (1 + 1.5 + 1.5 + 0.5)/4 = 1.125
        assertEquals(1.125, loss.meanRatio(), 1e-6);
    }

    @Test
    void clippedSurrogateGradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(21);
        int size = 40;
        float[] logprobs = new float[size];
        float[] old = new float[size];
        float[] advantages = new float[size];
        float[] mask = new float[size];
        for (int n = 0; n < size; n++) {
            old[n] = (float) random.nextDouble(-4, -0.5);
            // Ratios in [0.5, 1.5], kept 0.02 away from the kinks at 1 ± ε where the loss has no derivative.
            double ratio;
            do {
                ratio = random.nextDouble(0.5, 1.5);
            } while (Math.abs(Math.abs(ratio - 1) - CLIP) < 0.02);
            logprobs[n] = (float) (old[n] + Math.log(ratio));
            advantages[n] = (float) (random.nextBoolean() ? random.nextDouble(0.1, 2) : -random.nextDouble(0.1, 2));
            mask[n] = random.nextInt(5) == 0 ? 0 : 1;
        }
        float[] analytic = PpoLosses.clippedSurrogate(logprobs, old, advantages, mask, CLIP).dLogprobs();
        assertGradient(logprobs, analytic, x -> PpoLosses.clippedSurrogate(x, old, advantages, mask, CLIP).loss());
        int zero = 0;
        for (int n = 0; n < size; n++) {
            zero += mask[n] == 1 && analytic[n] == 0 ? 1 : 0;
        }
        assertTrue(zero > 0, "the sample should include tokens where the clipped branch binds");
    }

    @Test
    void clippedValueMatchesHandComputedValues() {
        float[] values = {1.0f, 1.5f, 1.5f, 0.5f, 9};
        float[] old = {0.9f, 1.0f, 1.0f, 1.0f, -9};
        float[] returns = {2.0f, 2.0f, 1.0f, 0.0f, 0};
        float[] mask = {1, 1, 1, 1, 0};
        PpoLosses.ValueLoss loss = PpoLosses.clippedValue(values, old, returns, mask, CLIP);
        // t0: v inside [0.7, 1.1]: (1 − 2)² = 1 both                 → grad (v − R)/N = −1/4 = −0.25
        // t1: clip(1.5) = 1.2: max((−0.5)² = 0.25, (−0.8)² = 0.64)   clipped binds → 0
        // t2: clip(1.5) = 1.2: max(0.5² = 0.25, 0.2² = 0.04) = 0.25  unclipped → 0.5/4 = 0.125
        // t3: clip(0.5) = 0.8: max(0.25, 0.64) = 0.64                clipped binds → 0
        // loss = ½(1 + 0.64 + 0.25 + 0.64)/4 = ½·2.53/4 = 0.31625
        assertEquals(0.31625, loss.loss(), 1e-6);
        assertArrayEquals(new float[] {-0.25f, 0, 0.125f, 0, 0}, loss.dValues(), 1e-6f);
        // |v − v_old|: 0.1, 0.5, 0.5, 0.5 → 3 of 4 beyond 0.2
        assertEquals(0.75, loss.clipFraction(), 0);
    }

    @Test
    void clippedValueGradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(22);
        int size = 40;
        float[] values = new float[size];
        float[] old = new float[size];
        float[] returns = new float[size];
        float[] mask = new float[size];
        for (int n = 0; n < size; n++) {
            old[n] = (float) random.nextDouble(-1, 1);
            double step;
            do {
                step = random.nextDouble(-0.6, 0.6);
            } while (Math.abs(Math.abs(step) - CLIP) < 0.02);
            values[n] = (float) (old[n] + step);
            returns[n] = (float) random.nextDouble(-1.5, 1.5);
            mask[n] = random.nextInt(5) == 0 ? 0 : 1;
        }
        float[] analytic = PpoLosses.clippedValue(values, old, returns, mask, CLIP).dValues();
        assertGradient(values, analytic, x -> PpoLosses.clippedValue(x, old, returns, mask, CLIP).loss());
    }

    @Test
    void entropyBonusMatchesHandComputedValuesAndGradient() {
        float[] entropy = {2.0f, 1.0f, 0.5f, 9};
        float[] mask = {1, 1, 1, 0};
        PpoLosses.EntropyBonus bonus = PpoLosses.entropyBonus(entropy, mask, 0.01);
        // mean = 3.5/3 ≈ 1.1666667; loss = −0.01·3.5/3 ≈ −0.0116667; ∂/∂H = −0.01/3 on masked tokens
        assertEquals(3.5 / 3, bonus.meanEntropy(), 1e-12);
        assertEquals(-0.01 * 3.5 / 3, bonus.loss(), 1e-12);
        assertArrayEquals(new float[] {-0.01f / 3, -0.01f / 3, -0.01f / 3, 0}, bonus.dEntropy(), 1e-9f);
        assertGradient(entropy, bonus.dEntropy(), x -> PpoLosses.entropyBonus(x, mask, 0.01).loss());
    }

    @Test
    void explainedVarianceMatchesHandComputedValues() {
        float[] returns = {1, 2, 3, 4, 99};
        float[] mask = {1, 1, 1, 1, 0};
        // R − v = 0, 1, 0, 1: squared deviations from 0.5 sum to 1; R's from 2.5 to 2.25 + 0.25 + 0.25 + 2.25 = 5
        // → 1 − 1/5 = 0.8
        assertEquals(0.8, PpoLosses.explainedVariance(new float[] {1, 1, 3, 3, -99}, returns, mask), 1e-12);
        assertEquals(1.0, PpoLosses.explainedVariance(returns, returns, mask), 0);
        // Predicting the mean 2.5 everywhere explains nothing.
        assertEquals(0.0, PpoLosses.explainedVariance(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 0}, returns, mask), 1e-12);
        // Constant returns (0.1f, whose mean misses it by rounding) leave the question without an answer.
        float[] flat = {0.1f, 0.1f, 0.1f, 5};
        assertTrue(Double.isNaN(PpoLosses.explainedVariance(new float[] {0, 1, 2, 3}, flat, new float[] {1, 1, 1, 0})));
    }

    @Test
    void lossesRefuseAMaskCountingNoToken() {
        float[] x = {1, 2};
        float[] none = {0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PpoLosses.clippedSurrogate(x, x, x, none, CLIP));
        assertTrue(e.getMessage().contains("counts no token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PpoLosses.clippedValue(x, x, x, none, CLIP));
        assertThrows(IllegalArgumentException.class, () -> PpoLosses.entropyBonus(x, none, 0.01));
        assertThrows(IllegalArgumentException.class, () -> PpoLosses.explainedVariance(x, x, none));
        assertThrows(IllegalArgumentException.class, () -> PpoLosses.clippedSurrogate(x, x, x, new float[] {1, 1}, 0));
    }

    /**
     * Central differences in double: each input is perturbed by about 1e-3, and the step is measured on the float
     * actually stored, so float rounding of the input does not pollute the quotient.
     */
    private static void assertGradient(float[] input, float[] analytic, ToDoubleFunction<float[]> loss) {
        for (int n = 0; n < input.length; n++) {
            float original = input[n];
            float up = (float) (original + 1e-3);
            float down = (float) (original - 1e-3);
            input[n] = up;
            double lossUp = loss.applyAsDouble(input);
            input[n] = down;
            double lossDown = loss.applyAsDouble(input);
            input[n] = original;
            double numeric = (lossUp - lossDown) / ((double) up - down);
            assertEquals(numeric, analytic[n], 1e-6 + 1e-4 * Math.abs(numeric), "∂L/∂x[" + n + "]");
        }
    }
}
