package dev.carrot.evaluation.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.evaluation.Answer;
import dev.carrot.evaluation.AnswerSource;
import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.policy.PromptFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Answers with a model behind OpenAI's protocol, asking {@code /v1/completions} with the policy's
 * {@link PromptFormat#prompt} (or, in chat mode, {@code /v1/chat/completions} with the question as the user's
 * message), several questions at once, and journalling every answer as it arrives ({@link AnswerJournal}) so that a
 * rerun asks only what is still unanswered.
 *
 * <p>An answer's log-probability is the sum of the tokens' log-probabilities the endpoint reports, each read as the
 * float the policy computed, summed in order as {@link dev.carrot.evaluation.RolloutAnswerSource} sums them; with
 * Carrot's server that includes the end-of-sequence or newline token that ended the answer, so the confidence is the
 * same as on the rollout workers. An endpoint that reports no log-probabilities leaves the confidence unknown (NaN),
 * and calibration unmeasured.
 */
public final class EndpointAnswerSource implements AnswerSource {

    /** The journal's name in the output folder. */
    public static final String JOURNAL = "answers.jsonl";

    /**
     * What is asked, besides the question.
     *
     * @param chat        ask {@code /v1/chat/completions} instead of {@code /v1/completions}
     * @param maxTokens   the answer's length limit
     * @param temperature 0 decodes greedily
     * @param seed        sent as {@code seed}, for endpoints that honour it
     */
    public record Asking(boolean chat, int maxTokens, double temperature, long seed) {
        public Asking {
            if (maxTokens <= 0) {
                throw new IllegalArgumentException("max tokens: expected a positive integer, got " + maxTokens);
            }
            if (!(temperature >= 0)) {
                throw new IllegalArgumentException("temperature: expected ≥ 0, got " + temperature);
            }
        }
    }

    private final OpenAiClient client;
    private final Asking asking;
    private final Path journalFile;

    /** @param folder where the journal is kept, the report's folder */
    public EndpointAnswerSource(OpenAiClient client, Asking asking, Path folder) {
        this.client = client;
        this.asking = asking;
        this.journalFile = folder.resolve(JOURNAL);
    }

    @Override
    public List<Answer> answer(List<EvalItem> items) {
        try (AnswerJournal journal = AnswerJournal.open(journalFile, settings())) {
            return answer(items, journal);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the answer journal " + journalFile, e);
        }
    }

    private List<Answer> answer(List<EvalItem> items, AnswerJournal journal) {
        ExecutorService pool = Executors.newFixedThreadPool(client.config().concurrency());
        try {
            List<Future<Answer>> answers = new ArrayList<>(items.size());
            for (EvalItem item : items) {
                Optional<Answer> known = journal.answer(item);
                answers.add(known.isPresent() ? CompletableFuture.completedFuture(known.get()) : pool.submit(() -> {
                    Answer answer = ask(item);
                    journal.record(item, answer);
                    return answer;
                }));
            }
            List<Answer> out = new ArrayList<>(items.size());
            for (Future<Answer> answer : answers) {
                out.add(answer.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EndpointException("interrupted while asking " + client.config().baseUrl(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One question, one answer. */
    Answer ask(EvalItem item) {
        ObjectNode body = client.body().put("max_tokens", asking.maxTokens()).put("temperature", asking.temperature())
                .put("seed", asking.seed());
        body.putArray("stop").add(PromptFormat.ANSWER_END);
        if (asking.chat()) {
            body.putArray("messages").addObject().put("role", "user").put("content", item.question());
            body.put("logprobs", true);
            JsonNode choice = client.post("/chat/completions", body).path("choices").path(0);
            JsonNode content = choice.path("message").path("content");
            return new Answer(PromptFormat.answer(content.asText("")),
                    sum(choice.path("logprobs").path("content"), "logprob"));
        }
        body.put("prompt", PromptFormat.prompt(item.question())).put("logprobs", 0);
        JsonNode choice = client.post("/completions", body).path("choices").path(0);
        if (!choice.path("text").isTextual()) {
            throw new EndpointException(client.config().baseUrl() + "/completions answered without"
                    + " choices[0].text: " + choice);
        }
        return new Answer(choice.path("text").asText(), sum(choice.path("logprobs").path("token_logprobs"), null));
    }

    /** Σ of the log-probabilities, each as a float as the policy computed it; NaN when any is missing. */
    private static double sum(JsonNode values, String field) {
        if (!values.isArray() || values.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (JsonNode value : values) {
            JsonNode logprob = field == null ? value : value.path(field);
            if (!logprob.isNumber()) {
                return Double.NaN;
            }
            sum += (float) logprob.asDouble();
        }
        return Math.min(sum, 0); // a remote server's rounding must not make a probability exceed 1
    }

    /** What the journal's answers depend on: the model and the request, not where it is served from. */
    private ObjectNode settings() {
        ObjectNode settings = client.body();
        settings.put("chat", asking.chat())
                .put("max_tokens", asking.maxTokens()).put("temperature", asking.temperature())
                .put("seed", asking.seed()).put("stop", PromptFormat.ANSWER_END);
        return settings;
    }
}
