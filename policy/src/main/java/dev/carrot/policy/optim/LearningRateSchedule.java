package dev.carrot.policy.optim;

/**
 * Linear warmup from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to {@code floor} at
 * {@code totalSteps}, constant after.
 */
public record LearningRateSchedule(double peak, double floor, long warmupSteps, long totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0)) {
            throw new IllegalArgumentException("learning_rate: expected a positive number, got " + peak);
        }
        if (!(floor >= 0 && floor <= peak)) {
            throw new IllegalArgumentException("min_learning_rate: expected a number in [0, " + peak + "], got " + floor);
        }
        if (warmupSteps < 0 || totalSteps <= 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("warmup_steps: expected 0 ≤ warmup ≤ total steps (" + totalSteps
                    + "), got " + warmupSteps);
        }
    }

    public static LearningRateSchedule constant(double lr) {
        return new LearningRateSchedule(lr, lr, 0, 1);
    }

    /** The learning rate of step {@code step}, counted from 0. */
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return floor;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
    }
}
