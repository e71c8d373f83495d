package dev.carrot.trainer.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdvantagesTest {

    private static final double TOLERANCE = 1e-6;

    @Test
    void gaeMatchesHandComputedRecursion() {
        // B = 2, T = 3. Sequence 0 has a prompt token at t = 0, sequence 1 padding at t = 2; their 9, 5, 7, 3 are ignored.
        float[] mask = {0, 1, 1, 1, 1, 0};
        float[] rewards = {9, 0, 1, 0.5f, -1, 7};
        float[] values = {5, 0.5f, 0.25f, 0, -0.5f, 3};
        Advantages.Gae gae = Advantages.gae(rewards, values, mask, 2, 3, 0.9, 0.5);
        // γλ = 0.45
        // seq 0, t = 2 (last): δ = 1 − 0.25 = 0.75 → A = 0.75, R = 0.75 + 0.25 = 1
        // seq 0, t = 1: δ = 0 + 0.9·0.25 − 0.5 = −0.275 → A = −0.275 + 0.45·0.75 = 0.0625, R = 0.5625
        // seq 1, t = 1 (last): δ = −1 + 0.5 = −0.5 → A = −0.5, R = −1
        // seq 1, t = 0: δ = 0.5 + 0.9·(−0.5) − 0 = 0.05 → A = 0.05 + 0.45·(−0.5) = −0.175, R = −0.175
        assertArrayEquals(new float[] {0, 0.0625f, 0.75f, -0.175f, -0.5f, 0}, gae.advantages(), 1e-7f);
        assertArrayEquals(new float[] {0, 0.5625f, 1, -0.175f, -1, 0}, gae.returns(), 1e-7f);
    }

    @Test
    void gaeWithGammaAndLambdaOneIsRewardToGoMinusValue() {
        Batch batch = Batch.random(4, 7, 11);
        Advantages.Gae gae = Advantages.gae(batch.rewards, batch.values, batch.mask, 4, 7, 1, 1);
        for (int b = 0; b < 4; b++) {
            double rewardToGo = 0;
            for (int t = 6; t >= 0; t--) {
                int n = b * 7 + t;
                if (batch.mask[n] == 0) {
                    assertEquals(0f, gae.advantages()[n]);
                    assertEquals(0f, gae.returns()[n]);
                    continue;
                }
                rewardToGo += batch.rewards[n];
                assertEquals(rewardToGo - batch.values[n], gae.advantages()[n], TOLERANCE);
                assertEquals(rewardToGo, gae.returns()[n], TOLERANCE);
            }
        }
    }

    @Test
    void gaeWithLambdaZeroIsTheOneStepTdError() {
        Batch batch = Batch.random(4, 7, 12);
        double gamma = 0.9;
        Advantages.Gae gae = Advantages.gae(batch.rewards, batch.values, batch.mask, 4, 7, gamma, 0);
        for (int n = 0; n < 28; n++) {
            if (batch.mask[n] == 0) {
                continue;
            }
            boolean last = n % 7 == 6 || batch.mask[n + 1] == 0;
            double nextValue = last ? 0 : batch.values[n + 1];
            assertEquals(batch.rewards[n] + gamma * nextValue - batch.values[n], gae.advantages()[n], TOLERANCE);
        }
    }

    @Test
    void gaeRefusesAGapInACompletionAndZeroesAnEmptySequence() {
        float[] gap = {1, 0, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.gae(new float[3], new float[3], gap, 1, 3, 1, 0.95));
        assertTrue(e.getMessage().contains("sequence 0") && e.getMessage().contains("t = 1"), e.getMessage());

        Advantages.Gae empty = Advantages.gae(new float[] {1, 1, 1, 1}, new float[] {2, 2, 2, 2},
                new float[] {0, 0, 1, 1}, 2, 2, 1, 0.95);
        assertEquals(0f, empty.advantages()[0]);
        assertEquals(0f, empty.returns()[1]);
    }

    @Test
    void whitenMatchesHandComputedValues() {
        float[] x = {1, 2, 3, 6, 50};
        float[] mask = {1, 1, 1, 1, 0};
        // mean = 12/4 = 3; squared deviations 4 + 1 + 0 + 9 = 14; unbiased var = 14/3
        double scale = 1 / Math.sqrt(14.0 / 3 + 1e-8);
        float[] whitened = Advantages.whiten(x, mask, true);
        assertArrayEquals(new float[] {(float) (-2 * scale), (float) (-1 * scale), 0, (float) (3 * scale), 0},
                whitened, 1e-6f);
        // Without shifting, the mean 3 comes back: −2·scale + 3, …; padding stays 0.
        float[] rescaled = Advantages.whiten(x, mask, false);
        assertEquals(-2 * scale + 3, rescaled[0], 1e-6);
        assertEquals(3.0, rescaled[2], 1e-6);
        assertEquals(0f, rescaled[4]);
    }

    @Test
    void whitenedValuesHaveMaskedMeanZeroAndUnitVariance() {
        Batch batch = Batch.random(5, 9, 13);
        float[] whitened = Advantages.whiten(batch.rewards, batch.mask, true);
        assertEquals(0.0, Masked.mean(whitened, batch.mask), 1e-6);
        assertEquals(1.0, Masked.variance(whitened, batch.mask), 1e-5);
        for (int n = 0; n < whitened.length; n++) {
            if (batch.mask[n] == 0) {
                assertEquals(0f, whitened[n]);
            }
        }
    }

    @Test
    void grpoNormalisesWithinEachGroupOnly() {
        double[] rewards = {1, 0, -4, 1, 0.5, 0.5, 0.5, 0.5};
        // group 1: mean (1 + 0 − 4 + 1)/4 = −0.5 → centred 1.5, 0.5, −3.5, 1.5
        //          squared deviations 2.25 + 0.25 + 12.25 + 2.25 = 17 → std = √(17/3) ≈ 2.3805
        // group 2: all equal → 0, whatever group 1 holds
        double std = Math.sqrt(17.0 / 3);
        assertArrayEquals(new double[] {1.5, 0.5, -3.5, 1.5, 0, 0, 0, 0}, Advantages.grpo(rewards, 4, false), 1e-12);
        double s = 1 / (std + 1e-4);
        assertArrayEquals(new double[] {1.5 * s, 0.5 * s, -3.5 * s, 1.5 * s, 0, 0, 0, 0},
                Advantages.grpo(rewards, 4, true), 1e-12);
    }

    @Test
    void groupEstimatorsRefuseIncompleteOrSingletonGroups() {
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> Advantages.grpo(new double[6], 4, true));
        assertTrue(ragged.getMessage().contains("groups of 4"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Advantages.rloo(new double[3], 1));
        assertThrows(IllegalArgumentException.class, () -> Advantages.grpo(new double[3], 1, false));
    }

    @Test
    void rlooSubtractsTheMeanOfTheOtherCompletions() {
        // group of 2: 1 − (−2) = 3 and −2 − 1 = −3
        assertArrayEquals(new double[] {3, -3}, Advantages.rloo(new double[] {1, -2}, 2), 0);
        // group of 3: 3 − (0 + 0)/2 = 3; 0 − (3 + 0)/2 = −1.5 (= 3/2 · (r − mean 1))
        assertArrayEquals(new double[] {3, -1.5, -1.5, 3, -1.5, -1.5},
                Advantages.rloo(new double[] {3, 0, 0, 3, 0, 0}, 3), 1e-12);
    }

    @Test
    void perTokenSpreadsEachSequenceAdvantageOverItsMaskedTokens() {
        float[] mask = {0, 1, 1, 1, 1, 0};
        assertArrayEquals(new float[] {0, 2, 2, -1, -1, 0},
                Advantages.perToken(new double[] {2, -1}, mask, 2, 3), 0f);
        assertThrows(IllegalArgumentException.class, () -> Advantages.perToken(new double[] {2}, mask, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Advantages.perToken(new double[] {2, -1}, mask, 3, 3));
    }

    /** A batch of B sequences, each a prompt of 1–2 tokens, a completion, then padding. */
    private record Batch(float[] rewards, float[] values, float[] mask) {

        static Batch random(int B, int T, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] rewards = new float[B * T];
            float[] values = new float[B * T];
            float[] mask = new float[B * T];
            for (int b = 0; b < B; b++) {
                int start = 1 + random.nextInt(2);
                int end = start + random.nextInt(T - start);
                for (int t = 0; t < T; t++) {
                    int n = b * T + t;
                    rewards[n] = (float) random.nextDouble(-1, 1);
                    values[n] = (float) random.nextDouble(-1, 1);
                    mask[n] = t >= start && t <= end ? 1 : 0;
                }
            }
            return new Batch(rewards, values, mask);
        }
    }
}
