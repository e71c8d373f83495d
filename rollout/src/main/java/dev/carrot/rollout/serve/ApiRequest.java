package dev.carrot.rollout.serve;

import dev.carrot.policy.generate.SamplingParams;
import java.util.List;

/**
 * A validated request to {@code /v1/completions} or {@code /v1/chat/completions}: its prompts in the model's own
 * text, and how to complete them.
 *
 * @param chat          whether it came to the chat endpoint (and is answered in chat shape)
 * @param prompts       the prompt texts; a chat has exactly one
 * @param promptTokens  per prompt, its length in tokens as the policy reads it (BOS included)
 * @param sampling      how to sample every choice
 * @param n             choices per prompt
 * @param seed          choice j of prompt i samples from {@code Seed(seed, i·n + j)}
 * @param stream        answer as server-sent events
 * @param includeUsage  when streaming, end with a chunk that carries token counts
 * @param logprobs      report the chosen tokens' log-probabilities
 */
record ApiRequest(boolean chat, List<String> prompts, List<Integer> promptTokens, SamplingParams sampling, int n,
        long seed, boolean stream, boolean includeUsage, boolean logprobs) {

    ApiRequest {
        prompts = List.copyOf(prompts);
        promptTokens = List.copyOf(promptTokens);
    }

    /** Choices in all, over every prompt. */
    int choices() {
        return prompts.size() * n;
    }
}
