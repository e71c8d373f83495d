package dev.carrot.trainer.sft;

import java.util.Objects;

/** A prompt and the completion the policy should learn to give (without end-of-sequence marker). */
public record SftExample(String prompt, String completion) {

    public SftExample {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
    }
}
