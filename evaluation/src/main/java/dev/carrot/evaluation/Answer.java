package dev.carrot.evaluation;

import java.util.Objects;

/**
 * What an answer source said to one question.
 *
 * @param completion      the generated text after the prompt, end-of-sequence marker removed
 * @param sequenceLogProb the natural-log probability the model gave {@code completion} (the sum of its tokens'
 *                        log-probabilities); NaN when the source cannot tell, which leaves calibration unmeasured
 */
public record Answer(String completion, double sequenceLogProb) {

    public Answer {
        Objects.requireNonNull(completion, "completion");
        if (sequenceLogProb > 0) {
            // A sum of log-softmax terms is never positive; anything else is a bug in the source.
            throw new IllegalArgumentException("sequenceLogProb: expected a log-probability <= 0, got "
                    + sequenceLogProb);
        }
    }

    /** An answer from a source that reports no probabilities. */
    public static Answer withoutProbability(String completion) {
        return new Answer(completion, Double.NaN);
    }

    /** exp(sequenceLogProb), the model's probability of this exact completion; NaN when unknown. */
    public double confidence() {
        return Math.exp(sequenceLogProb);
    }
}
