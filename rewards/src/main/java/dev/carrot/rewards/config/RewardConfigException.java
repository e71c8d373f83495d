package dev.carrot.rewards.config;

import dev.carrot.common.InvalidInputException;

/**
 * A reward configuration is invalid. The message names the file, the field and what was expected, for example
 * {@code calibration.yaml: reward.params.correct: expected a number, got "one"}.
 */
public class RewardConfigException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    public RewardConfigException(String message) {
        super(message);
    }

    public RewardConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
