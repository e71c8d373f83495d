package dev.carrot.evaluation.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.common.InvalidInputException;
import dev.carrot.evaluation.Answer;
import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.policy.PromptFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointAnswerSourceTest {

    private static final List<EvalItem> ITEMS = List.of(item("q1", "Capital of Varnelia?"),
            item("q2", "River of Ostrava?"), item("q3", "12 + 35?"), item("q4", "Mayor of Tolmar?"));
    private static final EndpointAnswerSource.Asking GREEDY = new EndpointAnswerSource.Asking(false, 8, 0, 0);

    @TempDir
    Path out;

    private static EvalItem item(String id, String question) {
        return new EvalItem(id, question, "x", List.of(), EvalItem.UNKNOWN_TIER, Map.of());
    }

    private static EndpointAnswerSource source(FakeEndpoint endpoint, int concurrency, Path out) {
        EndpointConfig config = EndpointConfig.defaults(endpoint.url(), "m").withConcurrency(concurrency)
                .withRetries(4, 1, 5, 2_000);
        return new EndpointAnswerSource(new OpenAiClient(config), GREEDY, out);
    }

    private static String prompt(int item) {
        return PromptFormat.prompt(ITEMS.get(item).question());
    }

    @Test
    void retriesRateLimitsServerErrorsAndTimeoutsThenSumsTheTokenLogprobs() throws Exception {
        try (FakeEndpoint endpoint = new FakeEndpoint((prompt, before) -> switch (before) {
            case 0 -> new FakeEndpoint.Reply(429, null, Map.of("Retry-After", "0"));
            case 1 -> new FakeEndpoint.Reply(503, null, Map.of());
            case 2 -> prompt.equals(prompt(1)) ? new FakeEndpoint.Reply(0, null, Map.of()) // never answers
                    : FakeEndpoint.Reply.ok(" A.");
            default -> FakeEndpoint.Reply.ok(" B.");
        })) {
            List<Answer> answers = source(endpoint, 3, out).answer(ITEMS);
            assertEquals(" A.", answers.get(0).completion());
            assertEquals(" B.", answers.get(1).completion(), "timed out once, then answered");
            assertEquals((double) -0.25f + (double) -0.5f, answers.get(0).sequenceLogProb());
            assertEquals(3, endpoint.asked(prompt(0)));
            assertEquals(4, endpoint.asked(prompt(1)));
            JsonAssert.greedyCompletionRequest(endpoint.bodies.get(0));
        }
    }

    @Test
    void aRefusalFailsAtOnceAndPersistentFailuresAfterTheAttempts() throws Exception {
        try (FakeEndpoint refusing = new FakeEndpoint((prompt, before) -> new FakeEndpoint.Reply(401, null, Map.of()));
                FakeEndpoint failing = new FakeEndpoint((prompt, before) -> new FakeEndpoint.Reply(500, null,
                        Map.of()))) {
            EndpointException refused = assertThrows(EndpointException.class,
                    () -> source(refusing, 1, out.resolve("a")).answer(ITEMS.subList(0, 1)));
            assertTrue(refused.getMessage().contains("401") && refused.getMessage().contains("scripted 401"),
                    refused.getMessage());
            assertEquals(1, refusing.asked(prompt(0)));
            EndpointException failed = assertThrows(EndpointException.class,
                    () -> source(failing, 1, out.resolve("b")).answer(ITEMS.subList(0, 1)));
            assertTrue(failed.getMessage().contains("all 4 attempts"), failed.getMessage());
            assertEquals(4, failing.asked(prompt(0)));
        }
    }

    @Test
    void aRerunAsksOnlyWhatTheInterruptedRunLeftUnanswered() throws Exception {
        try (FakeEndpoint flaky = new FakeEndpoint((prompt, before) -> prompt.equals(prompt(2))
                ? new FakeEndpoint.Reply(400, null, Map.of()) : FakeEndpoint.Reply.ok(" " + prompt.length() + "."))) {
            assertThrows(EndpointException.class, () -> source(flaky, 1, out).answer(ITEMS));
        }
        // The run stopped while writing a line: that half line is dropped, its question asked again.
        Files.writeString(out.resolve(EndpointAnswerSource.JOURNAL), "{\"id\": \"q9\", \"comp",
                StandardOpenOption.APPEND);
        try (FakeEndpoint healthy = new FakeEndpoint((prompt, before) -> FakeEndpoint.Reply.ok(" ok."))) {
            List<Answer> answers = source(healthy, 2, out).answer(ITEMS);
            assertEquals(0, healthy.asked(prompt(0)));
            assertEquals(0, healthy.asked(prompt(1)));
            assertEquals(1, healthy.asked(prompt(2)));
            assertEquals(" " + prompt(0).length() + ".", answers.get(0).completion());
            assertEquals(" ok.", answers.get(2).completion());
            assertEquals(5, Files.readAllLines(out.resolve(EndpointAnswerSource.JOURNAL)).size());
        }
    }

    @Test
    void aJournalFromOtherSettingsIsRefusedNamingTheFile() throws Exception {
        try (FakeEndpoint endpoint = new FakeEndpoint((prompt, before) -> FakeEndpoint.Reply.ok(" ok."))) {
            source(endpoint, 1, out).answer(ITEMS.subList(0, 1));
            EndpointConfig config = EndpointConfig.defaults(endpoint.url(), "m");
            EndpointAnswerSource hotter = new EndpointAnswerSource(new OpenAiClient(config),
                    new EndpointAnswerSource.Asking(false, 8, 0.7, 0), out);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> hotter.answer(ITEMS));
            assertTrue(e.getMessage().contains(out.resolve("answers.jsonl").toString()), e.getMessage());
        }
    }

    @Test
    void anEndpointWithoutLogprobsLeavesTheConfidenceUnknown() throws Exception {
        try (FakeEndpoint endpoint = new FakeEndpoint((prompt, before) -> FakeEndpoint.Reply.ok(" ok."))) {
            EndpointConfig config = EndpointConfig.defaults(endpoint.url(), "m");
            Answer chat = new EndpointAnswerSource(new OpenAiClient(config),
                    new EndpointAnswerSource.Asking(true, 8, 0, 0), out).answer(ITEMS.subList(0, 1)).get(0);
            assertTrue(Double.isNaN(chat.sequenceLogProb()));
            assertEquals(ITEMS.get(0).question(), endpoint.bodies.get(0).getJsonArray("messages").getJsonObject(0)
                    .getString("content"));
        }
    }
}
