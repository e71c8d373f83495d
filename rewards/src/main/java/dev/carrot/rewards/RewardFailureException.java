package dev.carrot.rewards;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A reward scheme failed, or produced NaN or an infinity, under {@link dev.carrot.rewards.config.FailurePolicy.Fail}:
 * the run stops here rather than train on it. The message shows the rollout at fault when the failure names one.
 */
public final class RewardFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int EXCERPT = 300;

    private final transient Rollout rollout;
    private final int index;

    private RewardFailureException(String message, Rollout rollout, int index, Throwable cause) {
        super(message, cause);
        this.rollout = rollout;
        this.index = index;
    }

    static RewardFailureException ofRollout(String scheme, List<Rollout> batch, int index, String reason,
                                            Throwable cause) {
        Rollout rollout = batch.get(index);
        String message = "reward scheme '" + scheme + "' failed on rollout " + index + " of a batch of "
                + batch.size() + ": " + reason
                + "\n  prompt:     " + quote(rollout.prompt())
                + "\n  completion: " + quote(rollout.completion())
                + "\n  references: " + rollout.references()
                + (rollout.metadata().isEmpty() ? "" : "\n  metadata:   " + rollout.metadata())
                + "\n" + HINT;
        return new RewardFailureException(message, rollout, index, cause);
    }

    static RewardFailureException ofBatch(String scheme, List<Rollout> batch, String reason, Throwable cause) {
        String message = "reward scheme '" + scheme + "' failed on a batch of " + batch.size()
                + " rollouts (the failure names no single rollout): " + reason
                + (batch.isEmpty() ? "" : "\n  first prompt: " + quote(batch.get(0).prompt()))
                + "\n" + HINT;
        return new RewardFailureException(message, null, -1, cause);
    }

    private static final String HINT =
            "(with reward.on_failure: {policy: penalty, value: V} such rollouts are paid V and counted instead)";

    /** The rollout at fault, when the failure named one. */
    public Optional<Rollout> rollout() {
        return Optional.ofNullable(rollout);
    }

    /** Its position in the batch. */
    public OptionalInt index() {
        return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /** The text in Java string syntax, so that line breaks show, cut to a readable length. */
    private static String quote(String text) {
        String cut = text.length() > EXCERPT ? text.substring(0, EXCERPT) + "..." : text;
        return '"' + cut.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                + '"';
    }
}
