package dev.carrot.rollout;

import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tensor.Matrix;

/**
 * The latest published weights of one process, shared by its workers instead of being sent to them: weights are
 * hundreds of megabytes, and within a process a worker can copy them straight into its replica. Each published
 * snapshot is a private copy that is never written again, so a worker may read it while the trainer publishes
 * the next one. Thread-safe.
 */
final class WeightStore {

    /** Published weights, never modified after publication. */
    record Snapshot(GptParameters parameters, long version) {

        /** Overwrites {@code target}, which must have the same configuration, with these weights. */
        void copyInto(GptParameters target) {
            copy(parameters, target);
        }
    }

    private volatile Snapshot latest;

    /** A store whose first snapshot is a copy of {@code initial} as {@code version}. */
    WeightStore(GptParameters initial, long version) {
        latest = new Snapshot(copyOf(initial), version);
    }

    Snapshot latest() {
        return latest;
    }

    /** Copies {@code parameters} and makes the copy the latest snapshot, as {@code version}. */
    void publish(GptParameters parameters, long version) {
        GptParameters copy = copyOf(parameters); // outside the lock: copying takes a while for a real model
        synchronized (this) {
            if (version <= latest.version()) {
                throw new IllegalArgumentException("weights version " + version + " is not newer than the published "
                        + latest.version() + "; versions must strictly increase");
            }
            if (!parameters.config().equals(latest.parameters().config())) {
                throw new IllegalArgumentException("cannot publish weights of " + parameters.config()
                        + " to workers of " + latest.parameters().config());
            }
            latest = new Snapshot(copy, version);
        }
    }

    private static GptParameters copyOf(GptParameters parameters) {
        GptParameters copy = GptParameters.zeros(parameters.config());
        copy(parameters, copy);
        return copy;
    }

    /** One bulk copy of the flat buffer, instead of an element-wise loop. */
    private static void copy(GptParameters from, GptParameters to) {
        if (!from.config().equals(to.config())) {
            throw new IllegalArgumentException("cannot copy weights of " + from.config() + " into " + to.config());
        }
        Matrix.copy(from.flat(), 0, to.flat(), 0, Math.toIntExact(from.count()));
    }
}
