package dev.carrot.evaluation.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Style;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JudgeGraderTest {

    private static final EvalItem ITEM = new EvalItem("q1", "What is the capital of Varnelia?", "Tolmar",
            List.of("Tolmar City"), EvalItem.UNKNOWN_TIER, Map.of());

    @Test
    void readsLettersAndGradeNamesAndNothingElse() {
        assertEquals(Optional.of(JudgeGrader.Verdict.CORRECT), JudgeGrader.verdict("A"));
        assertEquals(Optional.of(JudgeGrader.Verdict.INCORRECT), JudgeGrader.verdict(" \"B\"\n"));
        assertEquals(Optional.of(JudgeGrader.Verdict.NOT_ATTEMPTED), JudgeGrader.verdict("C) NOT_ATTEMPTED"));
        assertEquals(Optional.of(JudgeGrader.Verdict.NOT_ATTEMPTED), JudgeGrader.verdict("not attempted."));
        assertEquals(Optional.empty(), JudgeGrader.verdict("Answer is probably right"));
        assertEquals(Optional.empty(), JudgeGrader.verdict(""));
        assertEquals(Optional.empty(), JudgeGrader.verdict("D"));
    }

    @Test
    void gradesFromTheJudgesVerdictAndTheAnswersOwnHedge() throws Exception {
        try (FakeEndpoint judge = new FakeEndpoint((prompt, before) -> FakeEndpoint.Reply.ok(
                prompt.contains("Answer: I think it is Tolmar") ? "A"
                        : prompt.contains("Answer: Tolmar, a city") ? "A"
                        : prompt.contains("Answer: Kell") ? "B"
                        : prompt.contains("Answer: No idea") ? "C" : "I cannot grade this."))) {
            JudgeGrader grader = new JudgeGrader(new OpenAiClient(EndpointConfig.defaults(judge.url(), "judge")));
            assertEquals(new Grade(Style.ANSWERED, true, "Tolmar, a city"), grader.grade(ITEM, " Tolmar, a city."));
            assertEquals(new Grade(Style.HEDGED, true, "Tolmar"),
                    grader.grade(ITEM, " I think it is Tolmar, but I am not sure."));
            assertEquals(new Grade(Style.ANSWERED, false, "Kell"), grader.grade(ITEM, " Kell."));
            assertEquals(Style.ABSTAINED, grader.grade(ITEM, " No idea, sorry.").style());
            assertEquals(new Grade(Style.UNPARSEABLE, false, ""), grader.grade(ITEM, " Something odd."));
            var asked = judge.bodies.get(0);
            assertEquals("judge", asked.getString("model"));
            assertEquals(0, asked.getInteger("temperature"));
            String prompt = asked.getJsonArray("messages").getJsonObject(0).getString("content");
            assertTrue(prompt.contains("Question: What is the capital of Varnelia?")
                    && prompt.contains("Gold target: Tolmar (also accepted: Tolmar City)"), prompt);
        }
    }
}
