package dev.carrot.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorldCommandTest {

    @TempDir
    Path folder;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void writesTheWorldFiles() {
        Path world = folder.resolve("world");
        assertEquals(0, run("world", "--out", world.toString(), "--preset", "smoke", "--seed", "3"), err.toString());
        for (String file : new String[] {"corpus.txt", "sft.jsonl", "rl.jsonl", "eval.jsonl", "world.json"}) {
            assertTrue(Files.isRegularFile(world.resolve(file)), file);
        }
        assertTrue(out.toString().contains("(seed 3)"), out.toString());
    }

    @Test
    void configErrorsNameTheFileAndField() throws IOException {
        Path config = folder.resolve("job.yaml");
        Files.writeString(config, "world:\n  splits: {sft: 2}\n");
        assertEquals(2, run("world", "--out", folder.resolve("w").toString(), "--config", config.toString()));
        assertTrue(err.toString().contains(config + ": world.splits.sft: expected a fraction in (0, 1], got 2.0"),
                err.toString());
        assertTrue(Files.notExists(folder.resolve("w")));
    }

    @Test
    void unknownPresetIsAUsageError() {
        assertEquals(2, run("world", "--out", folder.toString(), "--preset", "huge"));
        assertTrue(err.toString().contains("--preset: expected default or smoke, got 'huge'"), err.toString());
    }

    private int run(String... args) {
        CommandLine command = CarrotCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }
}
