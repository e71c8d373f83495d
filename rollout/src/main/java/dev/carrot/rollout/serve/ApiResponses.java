package dev.carrot.rollout.serve;

import dev.carrot.policy.PromptFormat;
import dev.carrot.policy.generate.Alternatives;
import dev.carrot.policy.tokenizer.Tokenizer;
import dev.carrot.rollout.Completion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Completions in OpenAI's response shapes: {@code text_completion} and {@code chat.completion} objects, and the
 * chunks of their server-sent-event streams. Choice {@code i·n + j} is choice j of prompt i.
 *
 * <p>Log-probabilities cover every generated token, including one that completed a stop string and the
 * end-of-sequence token, which the text leaves out: their sum is the policy's log-probability of saying this and
 * stopping, the confidence Carrot's evaluation measures. Each comes with the most likely tokens at its step when
 * asked ({@code logprobs: k} for completions, {@code top_logprobs: k} for chat). They are the policy's own
 * (temperature 1, no truncation), whatever the request's sampling. A chat message's content is the answer without the space the prompt format puts
 * before it; a completion's text is exactly what followed the prompt.
 */
final class ApiResponses {

    private final Tokenizer tokenizer;
    private final String model;

    ApiResponses(Tokenizer tokenizer, String model) {
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /** The whole response to {@code request}. */
    JsonObject response(ApiRequest request, String id, long created, List<Completion> completions) {
        JsonArray choices = new JsonArray();
        for (int i = 0; i < completions.size(); i++) {
            Completion c = completions.get(i);
            JsonObject choice = new JsonObject().put("index", i);
            if (request.chat()) {
                choice.put("message", new JsonObject().put("role", "assistant")
                        .put("content", PromptFormat.answerOf(c.text())).put("refusal", null));
            } else {
                choice.put("text", c.text());
            }
            choice.put("logprobs", request.logprobs() ? logprobs(request.chat(), c) : null)
                    .put("finish_reason", c.finishReason().openAiName());
            choices.add(choice);
        }
        return head(request, id, created, false).put("choices", choices).put("usage", usage(request, completions));
    }

    /** The events of a streamed response, before the final {@code [DONE]}. */
    List<JsonObject> stream(ApiRequest request, String id, long created, List<Completion> completions) {
        List<JsonObject> events = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            Completion c = completions.get(i);
            if (request.chat()) {
                events.add(chunk(request, id, created, i, new JsonObject().put("role", "assistant").put("content", ""),
                        null, null));
                events.add(chunk(request, id, created, i, new JsonObject().put("content",
                        PromptFormat.answerOf(c.text())), request.logprobs() ? logprobs(true, c) : null, null));
                events.add(chunk(request, id, created, i, new JsonObject(), null, c.finishReason().openAiName()));
            } else {
                events.add(chunk(request, id, created, i, c.text(), request.logprobs() ? logprobs(false, c) : null,
                        null));
                events.add(chunk(request, id, created, i, "", null, c.finishReason().openAiName()));
            }
        }
        if (request.includeUsage()) {
            events.add(head(request, id, created, true).put("choices", new JsonArray())
                    .put("usage", usage(request, completions)));
        }
        return events;
    }

    private JsonObject chunk(ApiRequest request, String id, long created, int index, Object delta,
            JsonObject logprobs, String finishReason) {
        JsonObject choice = new JsonObject().put("index", index);
        if (request.chat()) {
            choice.put("delta", delta);
        } else {
            choice.put("text", delta);
        }
        choice.put("logprobs", logprobs).put("finish_reason", finishReason);
        JsonObject chunk = head(request, id, created, true).put("choices", new JsonArray().add(choice));
        if (request.includeUsage()) {
            chunk.put("usage", null);
        }
        return chunk;
    }

    private JsonObject head(ApiRequest request, String id, long created, boolean chunk) {
        String object = request.chat() ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion";
        JsonObject head = new JsonObject().put("id", id).put("object", object).put("created", created)
                .put("model", model);
        return request.chat() ? head.put("system_fingerprint", null) : head;
    }

    private static JsonObject usage(ApiRequest request, List<Completion> completions) {
        long prompt = request.promptTokens().stream().mapToLong(Integer::longValue).sum();
        long generated = completions.stream().mapToLong(c -> c.tokens().length).sum();
        return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", generated)
                .put("total_tokens", prompt + generated);
    }

    /** Chat: {@code {"content": [{token, logprob, bytes, top_logprobs}]}}; legacy: parallel arrays. */
    private JsonObject logprobs(boolean chat, Completion c) {
        if (chat) {
            JsonArray content = new JsonArray();
            for (int t = 0; t < c.tokens().length; t++) {
                JsonArray top = new JsonArray();
                if (!c.alternatives().isEmpty()) {
                    Alternatives step = c.alternatives().get(t);
                    for (int i = 0; i < step.tokens().length; i++) {
                        top.add(entry(step.tokens()[i], step.logprobs()[i]));
                    }
                }
                content.add(entry(c.tokens()[t], c.logprobs()[t]).put("top_logprobs", top));
            }
            return new JsonObject().put("content", content).put("refusal", null);
        }
        JsonArray tokens = new JsonArray();
        JsonArray logprobs = new JsonArray();
        JsonArray offsets = new JsonArray();
        JsonArray top = new JsonArray();
        int offset = 0;
        for (int t = 0; t < c.tokens().length; t++) {
            String text = tokenText(c.tokens()[t]);
            tokens.add(text);
            logprobs.add(c.logprobs()[t]);
            offsets.add(offset);
            top.add(alternatives(c, t, text));
            offset += text.length();
        }
        return new JsonObject().put("tokens", tokens).put("token_logprobs", logprobs).put("top_logprobs", top)
                .put("text_offset", offsets);
    }

    /** Chat's {token, logprob, bytes}. */
    private JsonObject entry(int token, float logprob) {
        JsonArray bytes = new JsonArray();
        for (byte b : tokenBytes(token)) {
            bytes.add(b & 0xff);
        }
        return new JsonObject().put("token", tokenText(token)).put("logprob", logprob).put("bytes", bytes);
    }

    /**
     * Legacy {@code top_logprobs} of step t: the most likely tokens' texts with their log-probabilities, and the
     * chosen token's ("up to logprobs + 1 elements", as OpenAI puts it). Two tokens with the same text (fragments of
     * one character) share one key, which keeps the likelier.
     */
    private JsonObject alternatives(Completion c, int t, String chosen) {
        JsonObject top = new JsonObject();
        if (!c.alternatives().isEmpty()) {
            Alternatives step = c.alternatives().get(t);
            for (int i = 0; i < step.tokens().length; i++) {
                String text = tokenText(step.tokens()[i]);
                if (!top.containsKey(text)) {
                    top.put(text, step.logprobs()[i]);
                }
            }
        }
        if (!top.containsKey(chosen)) {
            top.put(chosen, c.logprobs()[t]);
        }
        return top;
    }

    /** A special token shows as its name, e.g. {@code <|eos|>}; any other as the text it decodes to. */
    private String tokenText(int token) {
        return tokenizer.isSpecial(token) ? tokenizer.tokenString(token) : tokenizer.decode(new int[] {token});
    }

    private byte[] tokenBytes(int token) {
        return tokenizer.isSpecial(token) ? tokenizer.tokenString(token).getBytes(StandardCharsets.UTF_8)
                : tokenizer.tokenBytes(token);
    }
}
