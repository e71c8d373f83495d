package dev.carrot.trainer.sft;

import static dev.carrot.common.ConfigValues.nonNegative;
import static dev.carrot.common.ConfigValues.positive;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code sft:} section of a job file: supervised fine-tuning on prompt/completion pairs, the loss on completion
 * tokens only. Defaults in brackets.
 *
 * @param data            a JSONL file of {@code {"prompt", "completion"}} rows, relative to the job file; when absent,
 *                        the SFT set of the job's calibration world
 * @param epochs          passes over the data [3]
 * @param batchSize       examples per step [16]
 * @param maxLength       the training window: BOS + prompt + completion tokens (the final EOS is only a target),
 *                        capped at the model's context; longer examples are an error [64]
 * @param learningRate    peak learning rate [1e-3]
 * @param minLearningRate cosine floor [1e-4]
 * @param warmupSteps     linear warmup [10]
 * @param weightDecay     AdamW decoupled decay on matrices [0.0]
 * @param gradClip        global gradient-norm clip [1.0]
 * @param seed            shuffling [1]
 */
public record SftConfig(
        @JsonProperty("data") String data,
        @JsonProperty("epochs") Integer epochs,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("max_length") Integer maxLength,
        @JsonProperty("learning_rate") Double learningRate,
        @JsonProperty("min_learning_rate") Double minLearningRate,
        @JsonProperty("warmup_steps") Integer warmupSteps,
        @JsonProperty("weight_decay") Double weightDecay,
        @JsonProperty("grad_clip") Double gradClip,
        @JsonProperty("seed") Long seed) {

    public SftConfig {
        epochs = positive("epochs", epochs, 3);
        batchSize = positive("batch_size", batchSize, 16);
        maxLength = positive("max_length", maxLength, 64);
        learningRate = positive("learning_rate", learningRate, 1e-3);
        minLearningRate = minLearningRate == null ? Math.min(1e-4, learningRate) : minLearningRate;
        if (!(minLearningRate >= 0 && minLearningRate <= learningRate)) {
            throw new IllegalArgumentException("min_learning_rate: expected a number in [0, learning_rate], got "
                    + minLearningRate);
        }
        warmupSteps = warmupSteps == null ? 10 : warmupSteps;
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup_steps: expected an integer ≥ 0, got " + warmupSteps);
        }
        weightDecay = nonNegative("weight_decay", weightDecay, 0.0);
        gradClip = positive("grad_clip", gradClip, 1.0);
        seed = seed == null ? 1L : seed;
    }



    public static SftConfig defaults() {
        return new SftConfig(null, null, null, null, null, null, null, null, null, null);
    }
}
