package dev.carrot.policy.generate;

/** Why a completion ended. */
public enum FinishReason {
    /** The model emitted its end-of-sequence token. */
    EOS,
    /** A stop string appeared in the text. */
    STOP_STRING,
    /** The completion reached its maximum number of new tokens. */
    MAX_TOKENS,
    /** The sequence filled the model's context. */
    CONTEXT_FULL;

    /** OpenAI's {@code finish_reason}: "stop" for a natural end, "length" for a cut-off. */
    public String openAiName() {
        return this == EOS || this == STOP_STRING ? "stop" : "length";
    }
}
