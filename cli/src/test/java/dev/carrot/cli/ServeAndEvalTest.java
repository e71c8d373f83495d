package dev.carrot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eval --endpoint} against {@code serve} reports exactly what {@code eval --model} reports. */
class ServeAndEvalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void evaluatingTheServedCheckpointGivesTheDirectReportAndResumesWithoutAsking() throws Exception {
        ServedModel served = new ServedModel(dir);
        Path direct = dir.resolve("direct");
        Path remote = dir.resolve("remote");
        try (served) {
            assertEquals(0, CarrotCommand.commandLine().execute("eval", "--model", served.checkpoint.toString(),
                    "--dataset", served.questions.toString(), "--out", direct.toString(), "--max-new-tokens", "8"));
            assertEquals(0, eval(served.baseUrl, remote, served.keyFile));
            assertEquals(0, eval(served.baseUrl, dir.resolve("chat"), served.keyFile, "--chat"));
        }
        JsonNode expected = JSON.readTree(direct.resolve("report.json").toFile());
        assertEquals(expected, JSON.readTree(remote.resolve("report.json").toFile()));
        assertEquals(Files.readString(direct.resolve("graded.jsonl")), Files.readString(remote.resolve("graded.jsonl")));
        assertTrue(expected.path("metrics").path("overall").path("ece").isNumber(), "confidences were measured");
        assertEquals(expected.path("metrics"), JSON.readTree(dir.resolve("chat/report.json").toFile()).path("metrics"),
                "the chat endpoint answers as the completions endpoint does");

        // The server is gone: a rerun can only succeed from the journal, and must report the same.
        List<String> journal = Files.readAllLines(remote.resolve("answers.jsonl"));
        assertEquals(expected.path("metrics").path("overall").path("n").asInt() + 1, journal.size());
        Files.delete(remote.resolve("report.json"));
        assertEquals(0, eval(served.baseUrl, remote, served.keyFile));
        assertEquals(expected, JSON.readTree(remote.resolve("report.json").toFile()));
        assertEquals(journal, Files.readAllLines(remote.resolve("answers.jsonl")));
    }

    @Test
    void aJournalAskedWithOtherSettingsIsRefusedByName() throws Exception {
        Path remote = dir.resolve("remote");
        try (ServedModel served = new ServedModel(dir)) {
            assertEquals(0, eval(served.baseUrl, remote, served.keyFile));
            CommandLine cli = CarrotCommand.commandLine();
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            int status = cli.execute("eval", "--endpoint", served.baseUrl, "--model-name", ServedModel.NAME,
                    "--api-key-file", served.keyFile.toString(), "--dataset", served.questions.toString(),
                    "--out", remote.toString(), "--max-new-tokens", "9");
            assertEquals(2, status);
            assertTrue(err.toString().contains("answers.jsonl") && err.toString().contains("other settings"),
                    err.toString());
        }
    }

    @Test
    void aWrongKeyIsOneClearLine() throws Exception {
        try (ServedModel served = new ServedModel(dir)) {
            Path wrong = dir.resolve("wrong.txt");
            Files.writeString(wrong, "sk-nope");
            CommandLine cli = CarrotCommand.commandLine();
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            int status = cli.execute("eval", "--endpoint", served.baseUrl, "--model-name", ServedModel.NAME,
                    "--api-key-file", wrong.toString(), "--dataset", served.questions.toString(),
                    "--out", dir.resolve("r").toString());
            assertEquals(2, status);
            assertTrue(err.toString().contains("401") && !err.toString().contains("\tat "), err.toString());
        }
    }

    private static int eval(String baseUrl, Path out, Path keyFile, String... more) {
        CommandLine cli = CarrotCommand.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        List<String> args = new java.util.ArrayList<>(List.of("eval", "--endpoint", baseUrl, "--model-name",
                ServedModel.NAME, "--api-key-file", keyFile.toString(), "--dataset", dir(out), "--out",
                out.toString(), "--max-new-tokens", "8"));
        args.addAll(List.of(more));
        int status = cli.execute(args.toArray(String[]::new));
        System.err.print(err);
        return status;
    }

    private static String dir(Path out) {
        return out.getParent().resolve("world/eval.jsonl").toString();
    }
}
