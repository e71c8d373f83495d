package dev.carrot.rollout.serve;

import dev.carrot.policy.PromptFormat;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.tokenizer.Tokenizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates a request body against OpenAI's completion and chat protocols and this model's limits, naming the field
 * at fault in every refusal. Fields this server does not implement are refused when set to anything but their
 * neutral value, rather than silently ignored; fields that do not change the output ({@code user},
 * {@code metadata}, ...) are ignored. Thread-safe: it tokenizes prompts to check the context length, so the server
 * runs it off the event loop.
 */
final class RequestParser {

    /** OpenAI's limit on stop strings. */
    private static final int MAX_STOP = 4;

    private final Tokenizer tokenizer;
    private final int contextLength;
    private final ServeConfig config;

    RequestParser(Tokenizer tokenizer, int contextLength, ServeConfig config) {
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.config = config;
    }

    /**
     * @param fallbackSeed the seed of a request that names none
     * @throws OpenAiError naming the first problem
     */
    ApiRequest parse(JsonObject body, boolean chat, long fallbackSeed) {
        Object model = body.getValue("model");
        if (!(model instanceof String name) || name.isEmpty()) {
            throw OpenAiError.invalid("model", "model: expected the model's name, \"" + config.modelName() + "\"");
        }
        if (!name.equals(config.modelName())) {
            throw new OpenAiError(404, "invalid_request_error", "model_not_found", "model",
                    "The model `" + name + "` does not exist; this server serves `" + config.modelName() + "`");
        }
        refuseUnsupported(body, chat);
        List<String> prompts = chat ? List.of(ChatTranscript.prompt(body.getValue("messages")))
                : prompts(body.getValue("prompt"));
        String promptField = chat ? "messages" : "prompt";
        int n = (int) integer(body, "n", 1, 1, config.maxChoices());
        if ((long) n * prompts.size() > config.maxChoices()) {
            throw OpenAiError.invalid("n", "n: " + n + " choices for each of " + prompts.size() + " prompts exceed"
                    + " this server's limit of " + config.maxChoices() + " choices a request");
        }
        double temperature = number(body, "temperature", 1, 0, 2);
        double topP = number(body, "top_p", 1, 0, 1);
        if (topP == 0) {
            throw OpenAiError.invalid("top_p", "top_p: expected a number in (0, 1]; use temperature 0 for greedy"
                    + " decoding");
        }
        String maxTokensField = chat && body.getValue("max_completion_tokens") != null ? "max_completion_tokens"
                : "max_tokens";
        long requested = integer(body, maxTokensField, 0, 1, Long.MAX_VALUE); // 0: not given
        List<Integer> lengths = new ArrayList<>(prompts.size());
        int longest = 0;
        for (String prompt : prompts) {
            int length = tokenizer.encode(prompt, true).length;
            lengths.add(length);
            longest = Math.max(longest, length);
        }
        int room = contextLength - longest;
        if (room < 1 || requested > room) {
            long asked = requested == 0 ? 1 : requested;
            throw new OpenAiError(400, "invalid_request_error", "context_length_exceeded",
                    requested > room && room >= 1 ? maxTokensField : promptField,
                    "This model's maximum context length is " + contextLength + " tokens. However, you requested "
                            + (longest + asked) + " tokens (" + longest + " in the " + promptField + ", " + asked
                            + " for the completion). Please reduce the length of the " + promptField + " or the"
                            + " completion.");
        }
        int maxTokens = requested == 0 ? Math.min(config.defaultMaxTokens(), room) : (int) requested;
        List<String> stop = stop(body.getValue("stop"));
        if (chat && !stop.contains(PromptFormat.ANSWER_END)) {
            stop.add(PromptFormat.ANSWER_END); // an answer in the format is one line; the next would be a question
        }
        long seed = body.getValue("seed") == null ? fallbackSeed : integer(body, "seed", 0, Long.MIN_VALUE,
                Long.MAX_VALUE);
        boolean stream = bool(body, "stream");
        boolean includeUsage = false;
        Object options = body.getValue("stream_options");
        if (options != null) {
            if (!(options instanceof JsonObject o) || !stream) {
                throw OpenAiError.invalid("stream_options", "stream_options: expected an object, and only with"
                        + " stream: true");
            }
            includeUsage = bool(o, "include_usage");
        }
        int alternatives = chat ? chatAlternatives(body) : completionAlternatives(body);
        boolean logprobs = alternatives >= 0;
        SamplingParams sampling = new SamplingParams(temperature, 0, topP, maxTokens, stop, Math.max(0, alternatives));
        return new ApiRequest(chat, prompts, lengths, sampling, n, seed, stream, includeUsage, logprobs);
    }

    private static List<String> prompts(Object prompt) {
        if (prompt instanceof String text) {
            return List.of(text);
        }
        if (prompt instanceof JsonArray array && !array.isEmpty()) {
            List<String> prompts = new ArrayList<>();
            for (Object item : array) {
                if (!(item instanceof String text)) {
                    throw OpenAiError.unsupported("prompt", "prompt: expected a string or an array of strings"
                            + " (token arrays are not supported)");
                }
                prompts.add(text);
            }
            return prompts;
        }
        throw OpenAiError.invalid("prompt", "prompt: expected a string or a non-empty array of strings");
    }

    private static List<String> stop(Object stop) {
        List<String> strings = new ArrayList<>();
        if (stop instanceof String s) {
            strings.add(s);
        } else if (stop instanceof JsonArray array && array.size() <= MAX_STOP) {
            for (Object item : array) {
                if (!(item instanceof String s)) {
                    strings.clear();
                    break;
                }
                strings.add(s);
            }
            if (strings.size() != array.size()) {
                throw OpenAiError.invalid("stop", "stop: expected a string or up to " + MAX_STOP + " strings");
            }
        } else if (stop != null) {
            throw OpenAiError.invalid("stop", "stop: expected a string or up to " + MAX_STOP + " strings");
        }
        if (strings.stream().anyMatch(String::isEmpty)) {
            throw OpenAiError.invalid("stop", "stop: stop strings must not be empty");
        }
        return strings;
    }

    /**
     * Legacy completions: {@code logprobs} is the number of most likely tokens to report at each step (0 to 5,
     * OpenAI's limit); -1 when log-probabilities are not asked for at all.
     */
    private static int completionAlternatives(JsonObject body) {
        return body.getValue("logprobs") == null ? -1 : (int) integer(body, "logprobs", 0, 0, 5);
    }

    /** Chat: {@code logprobs: true} with {@code top_logprobs} alternatives (0 to 20); -1 for no log-probabilities. */
    private static int chatAlternatives(JsonObject body) {
        boolean logprobs = bool(body, "logprobs");
        if (body.getValue("top_logprobs") != null && !logprobs) {
            throw OpenAiError.invalid("top_logprobs", "top_logprobs: requires logprobs: true");
        }
        return logprobs ? (int) integer(body, "top_logprobs", 0, 0, 20) : -1;
    }

    /** Fields that would change the output in ways this server does not implement, at their neutral values. */
    private static void refuseUnsupported(JsonObject body, boolean chat) {
        Map<String, Object> neutral = chat
                ? Map.of("presence_penalty", 0, "frequency_penalty", 0)
                : Map.of("presence_penalty", 0, "frequency_penalty", 0, "echo", false, "best_of", 1);
        for (Map.Entry<String, Object> field : neutral.entrySet()) {
            Object value = body.getValue(field.getKey());
            if (value != null && !sameValue(value, field.getValue())) {
                throw OpenAiError.unsupported(field.getKey(), field.getKey() + ": not supported by this server"
                        + " (only " + field.getValue() + ")");
            }
        }
        for (String field : List.of("suffix", "logit_bias", "tools", "functions", "tool_choice", "function_call")) {
            Object value = body.getValue(field);
            boolean empty = value == null || value instanceof JsonObject o && o.isEmpty()
                    || value instanceof JsonArray a && a.isEmpty() || "none".equals(value);
            if (!empty) {
                throw OpenAiError.unsupported(field, field + ": not supported by this server");
            }
        }
        Object format = body.getValue("response_format");
        if (format != null && !(format instanceof JsonObject f && "text".equals(f.getValue("type")))) {
            throw OpenAiError.unsupported("response_format", "response_format: only {\"type\": \"text\"}");
        }
    }

    private static boolean sameValue(Object value, Object neutral) {
        if (value instanceof Number a && neutral instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return value.equals(neutral);
    }

    private static long integer(JsonObject body, String field, long absent, long min, long max) {
        Object value = body.getValue(field);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
            throw OpenAiError.invalid(field, field + ": expected an integer, got " + describe(value));
        }
        BigInteger v = value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw OpenAiError.invalid(field, field + ": expected an integer "
                    + (max == Long.MAX_VALUE ? "≥ " + min : "in [" + min + ", " + max + "]") + ", got " + v);
        }
        return v.longValue();
    }

    private static double number(JsonObject body, String field, double absent, double min, double max) {
        Object value = body.getValue(field);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Number number)) {
            throw OpenAiError.invalid(field, field + ": expected a number in [" + min + ", " + max + "], got "
                    + describe(value));
        }
        double v = number.doubleValue();
        if (!(v >= min && v <= max)) {
            throw OpenAiError.invalid(field, field + ": expected a number in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    private static boolean bool(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw OpenAiError.invalid(field, field + ": expected true or false, got " + describe(value));
        }
        return b;
    }

    private static String describe(Object value) {
        String text = value instanceof String s ? "the string \"" + s + "\"" : value instanceof JsonArray ? "an array"
                : value instanceof JsonObject ? "an object" : String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
