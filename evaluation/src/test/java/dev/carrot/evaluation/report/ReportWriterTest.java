package dev.carrot.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carrot.evaluation.Answer;
import dev.carrot.evaluation.EvalReport;
import dev.carrot.evaluation.Evaluation;
import dev.carrot.evaluation.FlagshipReward;
import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.metrics.CalibrationMetric;
import dev.carrot.evaluation.metrics.OptimalityMetric;
import dev.carrot.evaluation.metrics.OutcomeMetric;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Style;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {

    private static final List<String> REQUIRED_KEYS = List.of("n", "correct", "incorrect", "not_attempted", "hedged",
            "hallucination_rate", "accuracy", "answer_rate", "hedge_rate", "abstain_rate", "mean_reward", "ece", "brier",
            "auroc");
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path folder;

    private EvalReport report;

    @BeforeEach
    void evaluate() {
        // A tier with a single correct answer, whose AUROC is undefined; then 60 items over two tiers: well_known is
        // right when confident, unseen answers, hedges and abstains but is never right.
        List<EvalItem> items = new ArrayList<>();
        List<Answer> answers = new ArrayList<>();
        items.add(new EvalItem("only", "Only | one *here*?", "O", List.of(), "single", Map.of()));
        answers.add(new Answer("O.", Math.log(0.99)));
        for (int i = 0; i < 30; i++) {
            items.add(new EvalItem("k" + i, "Known " + i + "?", "A" + i, List.of(), "well_known", Map.of()));
            answers.add(new Answer(i % 5 == 0 ? "B." : "A" + i + ".", Math.log(i % 5 == 0 ? 0.3 : 0.9)));
            items.add(new EvalItem("u" + i, "Unknown " + i + "?", "Z" + i, List.of(), "unseen", Map.of()));
            answers.add(switch (i % 3) {
                case 0 -> new Answer("Y.", Math.log(0.5));
                case 1 -> new Answer("I think it is Y, but I am not sure.", Math.log(0.2));
                default -> new Answer("I don't know.", Math.log(0.8));
            });
        }
        Evaluation evaluation = new Evaluation(ReportWriterTest::grade,
                FlagshipReward.FLAGSHIP, new Bootstrap(200, 0.95, 1));
        report = evaluation.report(new Dataset("synthetic.jsonl", items), answers);
    }

    @Test
    void writesEveryFile() throws IOException {
        ReportWriter.write(report, folder);
        for (String file : List.of(ReportWriter.JSON, ReportWriter.MARKDOWN, ReportWriter.HTML, ReportWriter.GRADED,
                ReportWriter.RELIABILITY, ReportWriter.RISK_COVERAGE, ReportWriter.STYLES)) {
            assertTrue(Files.size(folder.resolve(file)) > 0, file);
        }
        for (String png : List.of(ReportWriter.RELIABILITY, ReportWriter.RISK_COVERAGE, ReportWriter.STYLES)) {
            byte[] bytes = Files.readAllBytes(folder.resolve(png));
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), png);
        }
        assertEquals(61, Files.readAllLines(folder.resolve(ReportWriter.GRADED)).size());
        try (var files = Files.list(folder)) {
            assertTrue(files.noneMatch(file -> file.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
    }

    @Test
    void jsonHasTheDocumentedShape() throws IOException {
        ReportWriter.write(report, folder, 5);
        JsonNode json = new ObjectMapper().readTree(folder.resolve(ReportWriter.JSON).toFile());
        assertEquals("synthetic.jsonl", json.get("dataset").asText());
        assertEquals(61, json.get("n").asInt());
        JsonNode overall = json.at("/metrics/overall");
        REQUIRED_KEYS.forEach(key -> assertTrue(overall.has(key), "overall lacks " + key));
        assertEquals(List.of("single", "well_known", "unseen"), fieldNames(json.at("/metrics/by_tier")), "in order of first appearance");
        json.at("/metrics/by_tier").forEach(tier -> REQUIRED_KEYS.forEach(key -> assertTrue(tier.has(key), key)));
        for (OutcomeMetric metric : OutcomeMetric.values()) {
            assertTrue(overall.has(metric.key()), metric.key());
        }
        for (CalibrationMetric metric : CalibrationMetric.values()) {
            assertTrue(overall.has(metric.key()), metric.key());
        }
        for (OptimalityMetric metric : OptimalityMetric.values()) {
            json.at("/metrics/by_tier").forEach(tier -> assertTrue(tier.has(metric.key()), metric.key()));
        }

        JsonNode wellKnown = json.at("/metrics/by_tier/well_known");
        assertEquals(30, wellKnown.get("n").asInt());
        assertTrue(wellKnown.get("n").isIntegralNumber());
        assertEquals(24, wellKnown.get("correct").asInt());
        assertEquals(0.2, wellKnown.get("hallucination_rate").asDouble(), 1e-12);
        // 24 correct at 0.9, 6 wrong at 0.3: every correct answer outranks every wrong one.
        assertEquals(1.0, wellKnown.get("auroc").asDouble(), 1e-12);
        assertTrue(json.at("/metrics/by_tier/single/auroc").isNull(), "undefined AUROC is null");

        // well_known is right 24 times in 30: p = 0.8, where every action ties, so every item acts optimally and the
        // most cautious action is named. unseen is never right: p = 0, abstaining is optimal, and a third abstain.
        assertEquals(0.8, wellKnown.get("measured_p").asDouble(), 1e-12);
        assertEquals("abstain", wellKnown.get("optimal_action").asText());
        assertEquals(1.0, wellKnown.get("optimal_action_rate").asDouble(), 1e-12);
        // By confidence: the 24 right answers at 0.9 are optimal, the 6 wrong ones at 0.3 are not.
        assertEquals(0.8, wellKnown.get("optimal_action_rate_by_confidence").asDouble(), 1e-12);
        JsonNode unseen = json.at("/metrics/by_tier/unseen");
        assertEquals(0.0, unseen.get("measured_p").asDouble());
        assertEquals("abstain", unseen.get("optimal_action").asText());
        assertEquals(1.0 / 3, unseen.get("optimal_action_rate").asDouble(), 1e-12);
        assertEquals("answer", json.at("/metrics/by_tier/single/optimal_action").asText());

        JsonNode policy = json.at("/reward/optimal_policy");
        assertEquals(2, policy.size());
        assertEquals("abstain", policy.at("/0/actions/0").asText());
        assertEquals("[0, 0.8)", policy.at("/0/p").asText());
        assertEquals(0.8, policy.at("/0/high").asDouble());
        assertTrue(policy.at("/0/low_closed").asBoolean());
        assertEquals("answer", policy.at("/1/actions/0").asText());
        assertEquals("(0.8, 1]", policy.at("/1/p").asText());

        assertEquals(10, json.at("/calibration/ece_bins").asInt());
        assertEquals("L1", json.at("/calibration/ece_norm").asText());
        assertEquals(10, json.at("/calibration/reliability").size());
        assertEquals(report.overall().metrics().calibration().n(), json.at("/calibration/risk_coverage").size());

        JsonNode hallucination = json.at("/confidence_intervals/overall/hallucination_rate");
        assertTrue(hallucination.get("low").asDouble() <= hallucination.get("estimate").asDouble());
        assertTrue(hallucination.get("estimate").asDouble() <= hallucination.get("high").asDouble());
        assertEquals(200, json.at("/confidence_intervals/resamples").asInt());
        assertTrue(json.at("/confidence_intervals/by_tier/unseen").has("abstain_rate"));

        assertEquals(1.0, json.at("/reward/by_category/correct").asDouble());
        assertEquals(-4.0, json.at("/reward/by_category/incorrect").asDouble());
        assertEquals(5, json.get("samples").size());
        assertEquals("only", json.at("/samples/0/id").asText());
        assertEquals("correct", json.at("/samples/0/category").asText());
        assertEquals(0.99, json.at("/samples/0/confidence").asDouble(), 1e-12);
        assertEquals("incorrect", json.at("/samples/1/category").asText());
    }

    @Test
    void documentsExplainTheMetricsAndEmbedThePlots() throws IOException {
        ReportWriter.write(report, folder);
        String markdown = Files.readString(folder.resolve(ReportWriter.MARKDOWN));
        for (OutcomeMetric metric : OutcomeMetric.values()) {
            assertTrue(markdown.contains("| " + metric.key() + " |"), metric.key());
        }
        assertTrue(markdown.contains("![Reliability diagram](reliability.png)"));
        assertTrue(markdown.contains("10 equal-width bins and the L1 norm"));
        assertTrue(markdown.contains("Only \\| one \\*here\\*?"), "table cells are escaped");
        for (OptimalityMetric metric : OptimalityMetric.values()) {
            assertTrue(markdown.contains("| " + metric.key() + " |"), metric.key());
        }
        assertTrue(markdown.contains("| optimal_action | abstain | answer | abstain | abstain |"));
        assertTrue(markdown.contains("abstain for p in \\[0, 0.8), answer for p in (0.8, 1\\]"));

        String html = Files.readString(folder.resolve(ReportWriter.HTML));
        assertEquals(3, html.split("data:image/png;base64,", -1).length - 1);
        assertTrue(html.contains("Only | one *here*?"));
        assertTrue(html.contains("I don&#39;t know."));
        assertTrue(html.contains("abstain for p in [0, 0.8), answer for p in (0.8, 1]"));
    }

    @Test
    void aModelThatNeverAnswersStillGetsAReport() throws IOException {
        List<EvalItem> items = List.of(new EvalItem("a", "A?", "A", List.of(), "rare", Map.of()));
        Evaluation evaluation = new Evaluation(ReportWriterTest::grade, FlagshipReward.FLAGSHIP,
                new Bootstrap(50, 0.95, 1));
        ReportWriter.write(evaluation.report(new Dataset("abstainer", items),
                List.of(Answer.withoutProbability("I don't know."))), folder);
        JsonNode json = new ObjectMapper().readTree(folder.resolve(ReportWriter.JSON).toFile());
        assertEquals(1.0, json.at("/metrics/overall/abstain_rate").asDouble());
        assertTrue(json.at("/metrics/overall/ece").isNull());
        assertTrue(json.at("/metrics/overall/correct_given_attempted").isNull());
        assertTrue(json.at("/metrics/overall/measured_p").isNull());
        assertTrue(json.at("/metrics/overall/optimal_action").isNull());
        assertTrue(json.at("/metrics/overall/optimal_action_rate").isNull());
        assertEquals(0, json.at("/calibration/risk_coverage").size());
        assertTrue(Files.size(folder.resolve(ReportWriter.RISK_COVERAGE)) > 0);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Grade grade(String completion, List<String> references) {
        if (completion.equals("I don't know.")) {
            return new Grade(Style.ABSTAINED, false, "");
        }
        if (completion.startsWith("I think it is ")) {
            String answer = completion.substring(14, completion.indexOf(','));
            return new Grade(Style.HEDGED, references.contains(answer), answer);
        }
        String answer = completion.substring(0, completion.length() - 1);
        return new Grade(Style.ANSWERED, references.contains(answer), answer);
    }
}
