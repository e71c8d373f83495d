package dev.carrot.rewards.config;

/**
 * What happens when a reward scheme throws or returns NaN or an infinity for a rollout. Such a reward never reaches
 * training; the policy decides between stopping and substituting. Written in YAML as
 * {@code on_failure: {policy: fail}} (the default) or {@code on_failure: {policy: penalty, value: -4.0}}.
 */
public sealed interface FailurePolicy permits FailurePolicy.Fail, FailurePolicy.Penalty {

    /** Stop the run with an error that shows the rollout at fault. The default: a broken scheme is a bug to fix. */
    record Fail() implements FailurePolicy {}

    /**
     * Pay {@code value} for the failed rollout, count the failure and carry on; for schemes that fail rarely and for
     * reasons outside the designer's control, such as a flaky remote endpoint.
     *
     * @param value the reward paid instead; typically the scheme's worst payoff
     */
    record Penalty(double value) implements FailurePolicy {
        public Penalty {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("penalty must be a finite number, got " + value);
            }
        }
    }
}
