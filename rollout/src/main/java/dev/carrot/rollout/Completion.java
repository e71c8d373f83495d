package dev.carrot.rollout;

import dev.carrot.policy.generate.Alternatives;
import dev.carrot.policy.generate.FinishReason;
import java.util.List;

/**
 * One completion of one prompt, as a rollout worker produced it. The arrays are owned by the record: nothing else
 * holds them, and callers must not modify them.
 *
 * @param promptIndex   the prompt's position in the batch passed to {@link RolloutService#generate}
 * @param prompt        the prompt text
 * @param promptTokens  the prompt as the policy read it: BOS followed by its encoding, so that
 *                      {@code promptTokens ++ tokens} is exactly the sequence whose log-probabilities PPO rescoring
 *                      needs
 * @param tokens        the generated tokens, including a final end-of-sequence token if one was sampled
 * @param logprobs      per generated token, its log-probability under the serving weights' unmodified distribution
 *                      (temperature 1, no truncation)
 * @param text          the decoded completion, end-of-sequence token excluded, cut before any stop string
 * @param finishReason  why it ended
 * @param weightsVersion the version of the weights that generated it (see {@link RolloutService#publishWeights})
 * @param worker        the worker that served it, e.g. {@code local-1}
 * @param alternatives  per generated token, the most likely tokens at its step when the sampling asked for them
 *                      ({@link dev.carrot.policy.generate.SamplingParams#alternatives()}); otherwise empty
 */
public record Completion(int promptIndex, String prompt, int[] promptTokens, int[] tokens, float[] logprobs,
        String text, FinishReason finishReason, long weightsVersion, String worker, List<Alternatives> alternatives) {

    public Completion {
        alternatives = List.copyOf(alternatives);
    }
}
