package dev.carrot.rollout.serve;

import static dev.carrot.rollout.serve.ServerHarness.MODEL;
import static dev.carrot.rollout.serve.ServerHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.PromptFormat;
import dev.carrot.policy.generate.Generation;
import dev.carrot.policy.generate.Generator;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.rollout.TinyPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class OpenAiServerTest {

    private static final ServerHarness SERVER = new ServerHarness();

    @AfterAll
    static void close() {
        SERVER.close();
    }

    private static JsonObject completion(String prompt) {
        return new JsonObject().put("model", MODEL).put("prompt", prompt).put("max_tokens", 6).put("temperature", 0);
    }

    @Test
    void listsTheModel() throws Exception {
        HttpResponse<String> response = SERVER.send(HttpRequest.newBuilder(SERVER.uri("/models"))
                .header("Authorization", "Bearer " + ServerHarness.KEY));
        assertEquals(200, response.statusCode());
        assertEquals(MODEL, json(response).getJsonArray("data").getJsonObject(0).getString("id"));
    }

    @Test
    void aGreedyCompletionIsTheGeneratorsWithTheChosenTokensLogprobs() throws Exception {
        String prompt = TinyPolicy.PROMPTS.get(1);
        JsonObject body = json(SERVER.post("/completions", completion(prompt).put("logprobs", 0).encode()));
        Generation expected = new Generator(TinyPolicy.policy(1).model(), TinyPolicy.TOKENIZER)
                .generateText(List.of(prompt), SamplingParams.greedy(6), 0).get(0);
        JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
        assertEquals("text_completion", body.getString("object"));
        assertEquals(expected.text(), choice.getString("text"));
        assertEquals(expected.finishReason().openAiName(), choice.getString("finish_reason"));
        JsonArray logprobs = choice.getJsonObject("logprobs").getJsonArray("token_logprobs");
        assertEquals(expected.logprobs().length, logprobs.size());
        for (int t = 0; t < logprobs.size(); t++) {
            assertEquals(expected.logprobs()[t], logprobs.getFloat(t));
        }
        JsonObject usage = body.getJsonObject("usage");
        assertEquals(TinyPolicy.TOKENIZER.encode(prompt, true).length, usage.getInteger("prompt_tokens"));
        assertEquals(expected.tokens().length, usage.getInteger("completion_tokens"));
    }

    @Test
    void reportsTheMostLikelyAlternativesOfEveryStep() throws Exception {
        JsonObject legacy = json(SERVER.post("/completions", completion("I").put("logprobs", 3).encode()))
                .getJsonArray("choices").getJsonObject(0).getJsonObject("logprobs");
        JsonArray chosen = legacy.getJsonArray("token_logprobs");
        for (int t = 0; t < chosen.size(); t++) {
            JsonObject top = legacy.getJsonArray("top_logprobs").getJsonObject(t);
            assertTrue(top.size() >= 1 && top.size() <= 4, top.encode());
            float best = top.stream().map(e -> ((Number) e.getValue()).floatValue()).max(Float::compare).orElseThrow();
            assertEquals(chosen.getFloat(t), best, "greedy picks the most likely token");
            assertEquals(chosen.getFloat(t), top.getFloat(legacy.getJsonArray("tokens").getString(t)));
        }
        JsonObject chat = json(SERVER.post("/chat/completions", new JsonObject().put("model", MODEL)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "I")))
                .put("temperature", 0).put("max_tokens", 5).put("logprobs", true).put("top_logprobs", 2).encode()));
        for (Object o : chat.getJsonArray("choices").getJsonObject(0).getJsonObject("logprobs")
                .getJsonArray("content")) {
            JsonObject token = (JsonObject) o;
            JsonArray top = token.getJsonArray("top_logprobs");
            assertEquals(2, top.size());
            assertEquals(token.getString("token"), top.getJsonObject(0).getString("token"));
            assertEquals(token.getFloat("logprob"), top.getJsonObject(0).getFloat("logprob"));
            assertTrue(top.getJsonObject(0).getFloat("logprob") >= top.getJsonObject(1).getFloat("logprob"));
        }
    }

    @Test
    void aChatIsTheCompletionOfItsPromptInThePolicysFormat() throws Exception {
        JsonArray messages = new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "12 + 35?"))
                .add(new JsonObject().put("role", "assistant").put("content", "47."))
                .add(new JsonObject().put("role", "user").put("content", "Tolmar?"));
        JsonObject chat = json(SERVER.post("/chat/completions", new JsonObject().put("model", MODEL)
                .put("messages", messages).put("max_tokens", 6).put("temperature", 0).encode()));
        String prompt = PromptFormat.prompt(List.of(new PromptFormat.Exchange("12 + 35?", "47.")), "Tolmar?");
        assertEquals("Question: 12 + 35?\nAnswer: 47.\nQuestion: Tolmar?\nAnswer:", prompt);
        JsonObject plain = json(SERVER.post("/completions", completion(prompt).encode()));
        assertTrue(chat.containsKey("choices"), chat.encode());
        JsonObject message = chat.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertEquals("chat.completion", chat.getString("object"));
        assertEquals("assistant", message.getString("role"));
        assertEquals(PromptFormat.answerOf(plain.getJsonArray("choices").getJsonObject(0).getString("text")),
                message.getString("content"));
    }

    @Test
    void aSeededRequestGetsTheSameChoicesWhateverElseIsInFlight() throws Exception {
        JsonObject seeded = new JsonObject().put("model", MODEL).put("prompt", "The capital of").put("n", 3)
                .put("max_tokens", 8).put("temperature", 1.0).put("seed", 1234);
        List<String> alone = texts(json(SERVER.post("/completions", seeded.encode())));
        List<CompletableFuture<HttpResponse<String>>> crowd = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonObject other = new JsonObject().put("model", MODEL).put("prompt", TinyPolicy.PROMPTS.get(i))
                    .put("n", 2).put("max_tokens", 5 + i).put("temperature", 0.7).put("top_p", 0.9);
            crowd.add(CompletableFuture.supplyAsync(() -> post("/completions", other.encode())));
        }
        CompletableFuture<HttpResponse<String>> again = CompletableFuture.supplyAsync(
                () -> post("/completions", seeded.encode()));
        assertEquals(alone, texts(json(again.get())));
        for (CompletableFuture<HttpResponse<String>> other : crowd) {
            assertEquals(200, other.get().statusCode());
        }
        assertEquals(3, alone.size());
        assertNotEquals(alone, texts(json(SERVER.post("/completions", seeded.put("seed", 1235).encode()))));
    }

    @Test
    void streamsChatChunksThenDone() throws Exception {
        JsonObject request = new JsonObject().put("model", MODEL).put("stream", true).put("max_tokens", 6)
                .put("temperature", 0).put("stream_options", new JsonObject().put("include_usage", true))
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "I")));
        HttpResponse<String> response = SERVER.post("/chat/completions", request.encode());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        List<String> events = response.body().lines().filter(line -> !line.isEmpty()).toList();
        assertTrue(events.stream().allMatch(line -> line.startsWith("data: ")), response.body());
        assertEquals("data: [DONE]", events.get(events.size() - 1));
        StringBuilder content = new StringBuilder();
        String finish = null;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonObject chunk = new JsonObject(event.substring("data: ".length()));
            assertEquals("chat.completion.chunk", chunk.getString("object"));
            for (Object o : chunk.getJsonArray("choices")) {
                JsonObject choice = (JsonObject) o;
                content.append(choice.getJsonObject("delta").getString("content", ""));
                finish = choice.getString("finish_reason") != null ? choice.getString("finish_reason") : finish;
            }
        }
        request.remove("stream");
        request.remove("stream_options");
        JsonObject whole = json(SERVER.post("/chat/completions", request.encode()));
        JsonObject choice = whole.getJsonArray("choices").getJsonObject(0);
        assertEquals(choice.getJsonObject("message").getString("content"), content.toString());
        assertEquals(choice.getString("finish_reason"), finish);
        JsonObject last = new JsonObject(events.get(events.size() - 2).substring("data: ".length()));
        assertEquals(whole.getJsonObject("usage"), last.getJsonObject("usage"));
        assertFalse(content.isEmpty() && finish == null);
    }

    private static HttpResponse<String> post(String path, String body) {
        try {
            return SERVER.post(path, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(JsonObject response) {
        List<String> texts = new ArrayList<>();
        for (Object choice : response.getJsonArray("choices")) {
            texts.add(((JsonObject) choice).getString("text"));
        }
        return texts;
    }
}
