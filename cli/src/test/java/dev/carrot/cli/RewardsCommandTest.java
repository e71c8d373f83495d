package dev.carrot.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardsCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int carrot(String... args) {
        CommandLine carrot = CarrotCommand.commandLine();
        carrot.setOut(new PrintWriter(out, true));
        carrot.setErr(new PrintWriter(err, true));
        return carrot.execute(args);
    }

    @Test
    void analyzePrintsTheBandsAndWritesThePlot(@TempDir Path dir) {
        Path png = dir.resolve("hedge-band.png");

        int status = carrot("rewards", "analyze", "../configs/rewards/hedge-band.yaml", "--plot", png.toString());

        assertEquals(0, status, err::toString);
        assertTrue(out.toString().contains("""
                Optimal policy:
                  abstain  for p in [0, 0.5)
                  hedge    for p in (0.5, 0.9)
                  answer   for p in (0.9, 1]
                """), out::toString);
        assertTrue(Files.isRegularFile(png));
    }

    @Test
    void scoreReadsJsonLinesAndPrintsRewards(@TempDir Path dir) throws Exception {
        Path rollouts = Files.writeString(dir.resolve("rollouts.jsonl"), """
                {"completion": "Paris.", "references": ["Paris"]}

                {"completion": "I think it is Lyon, but I am not sure.", "references": ["Paris"]}
                """);

        int status = carrot("rewards", "score", "../configs/rewards/calibration.yaml", "--rollouts", rollouts.toString());

        assertEquals(0, status, err::toString);
        assertEquals("""
                {"value":1.0,"components":{"calibration":1.0},"category":"correct"}
                {"value":-2.0,"components":{"calibration":-2.0},"category":"hedged_incorrect"}
                """, out.toString());
    }

    @Test
    void configErrorsAreOneLineMessages() {
        int status = carrot("rewards", "analyze", "../configs/rewards/remote.yaml");

        assertEquals(1, status);
        assertTrue(err.toString().startsWith("carrot rewards analyze: reward scheme 'remote' has no payoff table"),
                err::toString);
    }

    @Test
    void listShowsTheBuiltInSchemes() {
        assertEquals(0, carrot("rewards", "list"));
        assertTrue(out.toString().contains("calibration        built-in   tiered payoffs by grade"), out::toString);
    }
}
