package dev.carrot.cli;

import dev.carrot.experiments.calibration.world.CalibrationWorld;
import dev.carrot.experiments.calibration.world.WorldConfig;
import dev.carrot.experiments.calibration.world.WorldGenerator;
import dev.carrot.experiments.calibration.world.WorldWriter;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tokenizer.BpeTrainer;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The smoke world and a tiny random checkpoint over its vocabulary in {@code dir}, and {@code carrot serve} running
 * it in this JVM on a free loopback port, with a key.
 */
final class ServedModel implements AutoCloseable {

    static final String NAME = "tiny";
    static final String KEY = "sk-carrot-test";

    final Path dir;
    final Path checkpoint;
    final Path keyFile;
    final Path questions;
    private final ServeCommand serve;
    private final CompletableFuture<Integer> exit;
    final String baseUrl;

    ServedModel(Path dir) throws Exception {
        this.dir = dir;
        CalibrationWorld world = WorldGenerator.generate(WorldConfig.smoke());
        WorldWriter.write(world, dir.resolve("world"));
        questions = dir.resolve("world/eval.jsonl");
        Tokenizer tokenizer = new BpeTrainer(320).train(world.corpus());
        GptConfig config = new GptConfig(tokenizer.vocabSize(), 64, 16, 1, 2, true, false);
        checkpoint = dir.resolve("model");
        PolicyCheckpoint.save(new Policy(new Gpt(GptParameters.initialized(config, 1), new JavaKernels()),
                tokenizer), checkpoint);
        keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, KEY + "\n");

        CommandLine cli = CarrotCommand.commandLine();
        PipedWriter pipe = new PipedWriter();
        BufferedReader printed = new BufferedReader(new PipedReader(pipe, 1 << 16));
        cli.setOut(new PrintWriter(pipe, true));
        exit = CompletableFuture.supplyAsync(() -> cli.execute("serve", "--model", checkpoint.toString(),
                "--model-name", NAME, "--port", "0", "--api-key-file", keyFile.toString()));
        String line = printed.readLine();
        if (line == null) {
            throw new IOException("serve exited with status " + exit.get() + " before it printed its address");
        }
        Matcher url = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/v1)").matcher(line);
        if (!url.find()) {
            throw new IOException("serve printed no address: " + line);
        }
        baseUrl = url.group(1);
        serve = (ServeCommand) cli.getSubcommands().get("serve").getCommand();
    }

    /** Stops the server; its exit status. */
    int stop() throws Exception {
        serve.stop();
        return exit.get();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
