package dev.carrot.trainer.rl;

/** Hyperparameter checks shared by the RL math, each naming the argument and what was expected. */
final class ArgumentChecks {

    private ArgumentChecks() {
    }

    static void requirePositive(String name, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(name + " = " + value + "; expected a finite number > 0");
        }
    }

    static void requireNonNegative(String name, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(name + " = " + value + "; expected a finite number ≥ 0");
        }
    }

    static void requireUnitInterval(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " = " + value + "; expected a number in [0, 1]");
        }
    }
}
