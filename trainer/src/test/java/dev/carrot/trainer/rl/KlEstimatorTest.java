package dev.carrot.trainer.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KlEstimatorTest {

    @Test
    void k1IsTheLogRatio() {
        // −1 − (−1.5) = 0.5; and −0.5 when π_ref is the likelier: k1 can be negative
        assertEquals(0.5, KlEstimator.K1.estimate(-1, -1.5), 1e-15);
        assertEquals(-0.5, KlEstimator.K1.estimate(-1.5, -1), 1e-15);
        assertEquals(1.0, KlEstimator.K1.gradient(-1, -1.5), 0);
    }

    @Test
    void k3MatchesHandComputedValueAndGradient() {
        // log r = −1.5 − (−1) = −0.5, r = e^−0.5 ≈ 0.6065307
        // k3 = (r − 1) − log r ≈ −0.3934693 + 0.5 = 0.1065307; d/dlogp = 1 − r ≈ 0.3934693
        double r = Math.exp(-0.5);
        assertEquals(r - 1 + 0.5, KlEstimator.K3.estimate(-1, -1.5), 1e-15);
        assertEquals(0.1065307, KlEstimator.K3.estimate(-1, -1.5), 1e-7);
        assertEquals(1 - r, KlEstimator.K3.gradient(-1, -1.5), 1e-15);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        double h = 1e-6;
        for (KlEstimator estimator : KlEstimator.values()) {
            for (double logprob : new double[] {-3, -1, -0.2}) {
                double numeric = (estimator.estimate(logprob + h, -1.2) - estimator.estimate(logprob - h, -1.2)) / (2 * h);
                assertEquals(numeric, estimator.gradient(logprob, -1.2), 1e-8, estimator + " at " + logprob);
            }
        }
    }

    @Test
    void k3IsNeverNegativeAndZeroOnlyWhereThePoliciesAgree() {
        assertEquals(0.0, KlEstimator.K3.estimate(-0.7, -0.7), 0);
        for (double logRatio = -5; logRatio <= 5; logRatio += 0.25) {
            assertTrue(KlEstimator.K3.estimate(-2, -2 + logRatio) >= 0, "log r = " + logRatio);
        }
    }

    @Test
    void bothEstimatorsAreUnbiasedUnderTheSamplingPolicy() {
        // Over tokens drawn from p, E_p[k1] = E_p[k3] = KL(p ‖ q) = Σ p·log(p/q); k3 adds Σ (q − p) = 0.
        double[] p = {0.5, 0.3, 0.2};
        double[] q = {0.2, 0.5, 0.3};
        double kl = 0;
        double k1 = 0;
        double k3 = 0;
        for (int i = 0; i < p.length; i++) {
            kl += p[i] * Math.log(p[i] / q[i]);
            k1 += p[i] * KlEstimator.K1.estimate(Math.log(p[i]), Math.log(q[i]));
            k3 += p[i] * KlEstimator.K3.estimate(Math.log(p[i]), Math.log(q[i]));
        }
        assertEquals(kl, k1, 1e-12);
        assertEquals(kl, k3, 1e-12);
    }

    @Test
    void perTokenIsZeroOutsideTheMask() {
        float[] kl = KlEstimator.K1.perToken(new float[] {-1, -2, -3}, new float[] {-1.5f, -1, -9}, new float[] {1, 1, 0});
        // −1 + 1.5 = 0.5; −2 + 1 = −1; padding 0
        assertArrayEquals(new float[] {0.5f, -1, 0}, kl, 0f);
    }
}
