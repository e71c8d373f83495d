package dev.carrot.trainer.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.Kernels;
import dev.carrot.common.AtomicFiles;
import dev.carrot.common.ConfigBinder;
import dev.carrot.common.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./carrot pretrain JOB.yaml --out DIR}: reads the corpus, pretrains, and writes the policy checkpoint plus
 * {@code pretrain.json} (the resolved config and the final figures) into DIR.
 */
public final class PretrainJob {

    public static final String SUMMARY = "pretrain.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PretrainJob() {}

    /** Documents of a text file: blocks separated by blank lines. */
    public static List<String> readDocuments(Path file) throws IOException {
        List<String> docs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                if (current.length() > 0) {
                    docs.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(current.length() > 0 ? "\n" : "").append(line);
            }
        }
        if (current.length() > 0) {
            docs.add(current.toString());
        }
        return docs;
    }

    /** The corpus a job names ({@code pretrain.corpus} must be set), resolved against the job file's directory. */
    public static Path corpusPath(Path jobFile, PretrainConfig config) {
        Path corpus = ConfigBinder.resolve(jobFile, config.corpus());
        if (!Files.isRegularFile(corpus)) {
            throw new ConfigException(jobFile + ": pretrain.corpus: no such file: " + corpus);
        }
        return corpus;
    }

    public static Pretrainer.Result run(PretrainConfig config, List<String> documents, Path out, Kernels kernels,
            PrintStream log) throws IOException {
        int every = Math.max(1, config.steps() / 40);
        Pretrainer.Result result = new Pretrainer(config, kernels, p -> {
            if (p.step() % every == 0 || !Double.isNaN(p.heldOutLoss()) || p.step() == p.steps()) {
                log.println(progressLine(p));
            }
        }).run(documents);
        Files.createDirectories(out);
        PolicyCheckpoint.save(result.policy(), out);
        ObjectNode summary = JSON.createObjectNode();
        summary.set("config", JSON.valueToTree(config));
        summary.put("train_loss", result.trainLoss());
        summary.put("held_out_loss", result.heldOutLoss());
        summary.put("unigram_entropy", result.unigramEntropy());
        summary.put("tokens", result.tokens());
        summary.put("seconds", result.seconds());
        summary.put("tokens_per_second", result.tokens() / result.seconds());
        summary.put("parameters", result.policy().model().parameters().count());
        AtomicFiles.write(out.resolve(SUMMARY), JSON.writeValueAsBytes(summary));
        return result;
    }

    static String progressLine(Pretrainer.Progress p) {
        String heldOut = Double.isNaN(p.heldOutLoss()) ? "" : String.format(Locale.ROOT, "  held-out %.4f", p.heldOutLoss());
        return String.format(Locale.ROOT, "step %5d/%d  loss %.4f%s  lr %.2e  |g| %.3f  %.1fk tok/s", p.step(),
                p.steps(), p.loss(), heldOut, p.learningRate(), p.gradNorm(), p.tokensPerSecond() / 1000);
    }
}
