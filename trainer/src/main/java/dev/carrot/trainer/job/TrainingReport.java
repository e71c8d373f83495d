package dev.carrot.trainer.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import dev.carrot.policy.tensor.BlasFamily;
import dev.carrot.policy.tensor.Parallel;
import dev.carrot.trainer.ppo.PpoRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The calibration job's report: the held-out evaluation before and after RL side by side, the training curves and
 * where the time went. {@code report.json} holds {@code before} and {@code after}, each with the evaluation
 * harness's {@code metrics} object, {@code training} (every line of {@code metrics.jsonl}) and {@code seconds}.
 */
public final class TrainingReport {

    public static final String JSON_FILE = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    static final String CURVES = "training_curves.png";
    static final String STYLES = "styles_before_after.png";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HEADLINE = List.of("n", "accuracy", "hallucination_rate", "answer_rate",
            "hedge_rate", "abstain_rate", "mean_reward", "ece", "optimal_action_rate");

    private TrainingReport() {}

    public static void write(Path out, String rewardName, Map<String, Double> seconds) throws IOException {
        JsonNode before = JSON.readTree(out.resolve("eval-before").resolve("report.json").toFile());
        JsonNode after = JSON.readTree(out.resolve("eval-after").resolve("report.json").toFile());
        ArrayNode training = JSON.createArrayNode();
        Path metrics = out.resolve("ppo").resolve(PpoRun.METRICS);
        for (String line : Files.readAllLines(metrics)) {
            if (!line.isBlank()) {
                training.add(JSON.readTree(line));
            }
        }
        ObjectNode report = JSON.createObjectNode();
        report.put("reward", rewardName);
        // What the numbers are reproducible with: the same kernels and thread count (README, "What is reproducible").
        report.put("blas_family", BlasFamily.inUse());
        report.put("threads", Parallel.threads());
        report.set("before", JSON.createObjectNode().set("metrics", before.path("metrics")));
        report.set("after", JSON.createObjectNode().set("metrics", after.path("metrics")));
        report.set("training", training);
        ObjectNode time = report.putObject("seconds");
        seconds.forEach(time::put);
        AtomicFiles.write(out.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));

        byte[] curves = BitmapEncoder.getBitmapBytes(curves(training), BitmapEncoder.BitmapFormat.PNG);
        byte[] styles = BitmapEncoder.getBitmapBytes(styles(before, after), BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(out.resolve(CURVES), curves);
        AtomicFiles.write(out.resolve(STYLES), styles);
        String markdown = markdown(rewardName, before, after, seconds, training);
        AtomicFiles.writeString(out.resolve(MARKDOWN), markdown);
        AtomicFiles.writeString(out.resolve(HTML), html(markdown, Map.of(CURVES, curves, STYLES, styles,
                "eval-before/reliability.png", Files.readAllBytes(out.resolve("eval-before/reliability.png")),
                "eval-after/reliability.png", Files.readAllBytes(out.resolve("eval-after/reliability.png")))));
    }

    private static String markdown(String reward, JsonNode before, JsonNode after, Map<String, Double> seconds,
            ArrayNode training) {
        StringBuilder md = new StringBuilder("# Calibration job\n\n");
        md.append("Reward scheme: `").append(reward).append("`. Held-out evaluation before RL (the SFT base policy)")
                .append(" and after, greedy decoding.\n\n");
        md.append("| tier | metric | before | after |\n|---|---|---:|---:|\n");
        List<String> tiers = new ArrayList<>();
        after.path("metrics").path("by_tier").fieldNames().forEachRemaining(tiers::add);
        tiers.add("overall");
        for (String tier : tiers) {
            JsonNode b = tier.equals("overall") ? before.path("metrics").path("overall")
                    : before.path("metrics").path("by_tier").path(tier);
            JsonNode a = tier.equals("overall") ? after.path("metrics").path("overall")
                    : after.path("metrics").path("by_tier").path(tier);
            for (String key : HEADLINE) {
                md.append("| ").append(tier).append(" | ").append(key).append(" | ").append(format(b.path(key)))
                        .append(" | ").append(format(a.path(key))).append(" |\n");
            }
        }
        md.append(String.format(Locale.ROOT, "%nOpenBLAS kernels %s, %d threads.%n", BlasFamily.inUse(),
                Parallel.threads()));
        md.append("\n## Time\n\n| stage | seconds |\n|---|---:|\n");
        seconds.forEach((stage, s) -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", stage, s)));
        double rollout = 0;
        double rewardTime = 0;
        double update = 0;
        for (JsonNode line : training) {
            rollout += line.path("time_rollout_s").asDouble();
            rewardTime += line.path("time_reward_s").asDouble();
            update += line.path("time_update_s").asDouble();
        }
        md.append(String.format(Locale.ROOT, "%nRL time split: rollout %.1f s, reward %.1f s, update %.1f s"
                + " (evaluations during training excluded).%n", rollout, rewardTime, update));
        md.append("\n## Training\n\n![training curves](").append(CURVES).append(")\n\n");
        md.append("## Styles per tier\n\n![styles before and after](").append(STYLES).append(")\n\n");
        md.append("## Reliability\n\nBefore: ![before](eval-before/reliability.png) After:")
                .append(" ![after](eval-after/reliability.png)\n\nFull reports: `eval-before/report.md`,")
                .append(" `eval-after/report.md`; per-iteration metrics: `ppo/metrics.jsonl`.\n");
        return md.toString();
    }

    private static String format(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "–";
        }
        if (value.isIntegralNumber()) {
            return value.asText();
        }
        return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : value.asText();
    }

    private static XYChart curves(ArrayNode training) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("RL training")
                .xAxisTitle("iteration").yAxisTitle("value").build();
        List<Double> x = new ArrayList<>();
        List<Double> reward = new ArrayList<>();
        List<Double> kl = new ArrayList<>();
        List<Double> evalX = new ArrayList<>();
        List<Double> hallucination = new ArrayList<>();
        for (JsonNode line : training) {
            double iteration = line.path("iteration").asDouble() + 1;
            x.add(iteration);
            reward.add(line.path("reward_mean").asDouble());
            kl.add(line.path("kl").asDouble());
            if (line.has("eval/hallucination_rate/overall")) {
                evalX.add(iteration);
                hallucination.add(line.path("eval/hallucination_rate/overall").asDouble());
            }
        }
        chart.addSeries("reward (mean)", x, reward);
        chart.addSeries("KL to reference", x, kl);
        if (!evalX.isEmpty()) {
            chart.addSeries("held-out hallucination rate", evalX, hallucination);
        }
        return chart;
    }

    private static CategoryChart styles(JsonNode before, JsonNode after) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(500)
                .title("Answer / hedge / abstain per tier, before → after").xAxisTitle("tier").yAxisTitle("share")
                .build();
        List<String> labels = new ArrayList<>();
        List<Double> answer = new ArrayList<>();
        List<Double> hedge = new ArrayList<>();
        List<Double> abstain = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> tiers = after.path("metrics").path("by_tier").fields();
        while (tiers.hasNext()) {
            String tier = tiers.next().getKey();
            for (String when : List.of("before", "after")) {
                JsonNode m = (when.equals("before") ? before : after).path("metrics").path("by_tier").path(tier);
                labels.add(tier + " " + when);
                answer.add(m.path("answer_rate").asDouble());
                hedge.add(m.path("hedge_rate").asDouble());
                abstain.add(m.path("abstain_rate").asDouble());
            }
        }
        chart.getStyler().setStacked(true);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries("answer", labels, answer);
        chart.addSeries("hedge", labels, hedge);
        chart.addSeries("abstain", labels, abstain);
        return chart;
    }

    /** The Markdown report as a self-contained page: images inlined, tables and headings converted. */
    private static String html(String markdown, Map<String, byte[]> images) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Calibration job"
                + "</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}table{border-collapse:"
                + "collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child,"
                + "td:nth-child(2){text-align:left}img{max-width:100%}</style></head><body>\n");
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                if (line.startsWith("|---")) {
                    continue;
                }
                if (!inTable) {
                    html.append("<table>\n");
                    inTable = true;
                }
                html.append("<tr>");
                for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
                    html.append("<td>").append(escape(cell.trim())).append("</td>");
                }
                html.append("</tr>\n");
                continue;
            }
            if (inTable) {
                html.append("</table>\n");
                inTable = false;
            }
            if (line.startsWith("## ")) {
                html.append("<h2>").append(escape(line.substring(3))).append("</h2>\n");
            } else if (line.startsWith("# ")) {
                html.append("<h1>").append(escape(line.substring(2))).append("</h1>\n");
            } else if (!line.isBlank()) {
                String paragraph = escape(line);
                for (Map.Entry<String, byte[]> image : images.entrySet()) {
                    paragraph = paragraph.replaceAll("!\\[([^\\]]*)\\]\\(" + java.util.regex.Pattern.quote(image.getKey())
                            + "\\)", "<img alt=\"$1\" src=\"data:image/png;base64,"
                            + Base64.getEncoder().encodeToString(image.getValue()) + "\">");
                }
                html.append("<p>").append(paragraph).append("</p>\n");
            }
        }
        if (inTable) {
            html.append("</table>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
