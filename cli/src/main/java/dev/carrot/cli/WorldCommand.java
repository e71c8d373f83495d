package dev.carrot.cli;

import dev.carrot.common.ConfigException;
import dev.carrot.experiments.calibration.world.CalibrationWorld;
import dev.carrot.experiments.calibration.world.Split;
import dev.carrot.experiments.calibration.world.WorldConfig;
import dev.carrot.experiments.calibration.world.WorldGenerator;
import dev.carrot.experiments.calibration.world.WorldWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./carrot world}: generates the calibration world into a folder. */
@Command(
        name = "world",
        mixinStandardHelpOptions = true,
        description = {
                "Generate the calibration world: a pretraining corpus, an SFT set, RL prompts and an evaluation set "
                        + "over fictional facts and arithmetic, each question tagged with what the model could know.",
                "Writes corpus.txt, sft.jsonl, rl.jsonl, eval.jsonl and world.json into --out."})
public final class WorldCommand implements Callable<Integer> {

    /** Named starting points for the configuration; a --config file overrides fields of one. */
    enum Preset {
        /** The documented defaults: a few hundred held-out questions, a corpus of about 0.3 MB. */
        DEFAULT,
        /** A world small enough for an end-to-end run in seconds, for tests. */
        SMOKE;

        WorldConfig config() {
            return this == SMOKE ? WorldConfig.smoke() : WorldConfig.defaults();
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the world into.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML file whose 'world:' section overrides fields of the preset.")
    Path config;

    @Option(names = "--seed", paramLabel = "N", description = "Overrides the configured seed.")
    Long seed;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "default",
            description = "Starting configuration: default or smoke (default: ${DEFAULT-VALUE}).")
    String preset;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        WorldConfig world;
        try {
            WorldConfig base = preset().config();
            world = config == null ? base : WorldConfig.load(config, base);
        } catch (ConfigException e) {
            err.println("carrot world: " + e.getMessage());
            return 2;
        }
        if (seed != null) {
            world = world.withSeed(seed);
        }
        CalibrationWorld generated = WorldGenerator.generate(world);
        WorldWriter.write(generated, out);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %s: %d corpus lines, %d SFT examples, %d RL prompts, %d evaluation questions (seed %d)%n",
                out, generated.corpus().size(), generated.sft().size(), generated.items(Split.RL).size(),
                generated.items(Split.EVAL).size(), world.seed());
        return 0;
    }

    private Preset preset() {
        try {
            return Preset.valueOf(preset.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "--preset: expected default or smoke, got '" + preset + "'");
        }
    }
}
