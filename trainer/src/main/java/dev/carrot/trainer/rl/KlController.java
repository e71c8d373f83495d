package dev.carrot.trainer.rl;

/**
 * The coefficient β of the KL penalty that keeps the policy near its reference: fixed, or adaptive — the proportional
 * controller of Ziegler et al. 2019, "Fine-Tuning Language Models from Human Preferences", which moves β towards the
 * value that holds the observed KL at a target.
 *
 * <p>Mutable (β changes with each update) and not thread-safe: one controller belongs to one training loop.
 */
public final class KlController {

    /** The largest relative error the adaptive controller acts on, so one odd batch cannot swing β far. */
    private static final double MAX_ERROR = 0.2;

    private double beta;
    private final double targetKl;
    private final double horizon;

    private KlController(double beta, double targetKl, double horizon) {
        this.beta = beta;
        this.targetKl = targetKl;
        this.horizon = horizon;
    }

    /** A constant β ≥ 0; {@link #update} leaves it unchanged. */
    public static KlController fixed(double beta) {
        ArgumentChecks.requireNonNegative("beta", beta);
        return new KlController(beta, Double.NaN, Double.NaN);
    }

    /**
     * β ← β·(1 + clip(KL/target − 1, −0.2, 0.2)·n/horizon) after each batch of n sequences: β rises while the KL is
     * above the target and falls while it is below, by at most 20% per {@code horizon} sequences.
     *
     * @param initialBeta the starting β ≥ 0
     * @param targetKl    the KL to hold, > 0, in the units of the observed KL passed to {@link #update} (TRL: the
     *                    per-sequence sum of token KLs)
     * @param horizon     sequences over which a full-size correction acts, > 0
     */
    public static KlController adaptive(double initialBeta, double targetKl, double horizon) {
        ArgumentChecks.requireNonNegative("initialBeta", initialBeta);
        ArgumentChecks.requirePositive("targetKl", targetKl);
        ArgumentChecks.requirePositive("horizon", horizon);
        return new KlController(initialBeta, targetKl, horizon);
    }

    /** The current coefficient. */
    public double beta() {
        return beta;
    }

    /** Whether {@link #update} moves β. */
    public boolean adaptive() {
        return !Double.isNaN(targetKl);
    }

    /** Feeds back the KL observed on a batch of {@code sequences} sequences; a no-op for a fixed controller. */
    public void update(double observedKl, int sequences) {
        if (!Double.isFinite(observedKl)) {
            throw new IllegalArgumentException("observed KL = " + observedKl + "; expected a finite number");
        }
        if (sequences < 0) {
            throw new IllegalArgumentException("sequences = " + sequences + "; expected ≥ 0");
        }
        if (adaptive()) {
            double error = Math.max(-MAX_ERROR, Math.min(MAX_ERROR, observedKl / targetKl - 1));
            beta *= 1 + error * sequences / horizon;
        }
    }

    @Override
    public String toString() {
        return adaptive()
                ? "KlController[adaptive, beta=" + beta + ", target=" + targetKl + ", horizon=" + horizon + "]"
                : "KlController[fixed, beta=" + beta + "]";
    }
}
