package dev.carrot.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.carrot.rewards.GuardedScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardFailureException;
import dev.carrot.rewards.RewardJson;
import dev.carrot.rewards.RewardSchemeRegistry;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.analysis.AnalysisReport;
import dev.carrot.rewards.analysis.RewardAnalysis;
import dev.carrot.rewards.analysis.RewardAnalyzer;
import dev.carrot.rewards.analysis.RewardPlot;
import dev.carrot.rewards.config.FailurePolicy;
import dev.carrot.rewards.config.RewardConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code carrot rewards}: list, analyse and try reward schemes without training anything. */
@Command(
        name = "rewards",
        mixinStandardHelpOptions = true,
        description = "List, analyse and try reward schemes.",
        subcommands = {
                RewardsCommand.ListSchemes.class,
                RewardsCommand.Analyze.class,
                RewardsCommand.Score.class,
        })
public final class RewardsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The {@code --reward-plugin} option every subcommand takes, and the registry it yields. */
    static final class Plugins {
        @Option(names = "--reward-plugin", paramLabel = "FILE.jar",
                description = "A jar of reward schemes (declared in META-INF/services); repeatable.")
        List<Path> jars = new ArrayList<>();

        RewardSchemeRegistry registry() {
            return RewardSchemeRegistry.discover(jars);
        }
    }

    /** A subcommand body that may fail with a message for the user rather than a stack trace. */
    private interface Body {
        void run(PrintWriter out) throws IOException;
    }

    private static int report(CommandLine.Model.CommandSpec spec, Body body) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            body.run(out);
            out.flush();
            return 0;
        } catch (NoSuchFileException e) {
            return fail(spec, "no such file: " + e.getFile());
        } catch (IOException | UncheckedIOException e) {
            return fail(spec, e.toString());
        } catch (RewardConfigException | RewardFailureException | IllegalArgumentException e) {
            return fail(spec, e.getMessage());
        }
    }

    private static int fail(CommandLine.Model.CommandSpec spec, String message) {
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + message);
        return 1;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the reward schemes a job can name: built-in, on the classpath, and from plugins.")
    static final class ListSchemes implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Plugins plugins;

        @Override
        public Integer call() {
            return report(spec, out -> plugins.registry().entries().forEach((name, entry) -> {
                String origin = entry.origin().startsWith("plugin") ? "plugin" : entry.origin();
                out.printf("%-18s %-10s %s%n", name, origin, entry.provider().description());
            }));
        }
    }

    @Command(name = "analyze", mixinStandardHelpOptions = true,
            description = {
                    "Show which answering behaviour a tiered reward scheme makes optimal.",
                    "For a model that is right with probability p: each action's expected reward, the optimal",
                    "policy as bands of p, the thresholds between them, and warnings (an action never strictly",
                    "optimal, a scheme that rewards always abstaining, ties)."})
    static final class Analyze implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE.yaml",
                description = "A reward scheme file, or a job config whose reward section is analysed.")
        Path file;

        @Option(names = "--plot", paramLabel = "OUT.png", description = "Also draw expected reward against p.")
        Path plot;

        @Mixin
        Plugins plugins;

        @Override
        public Integer call() {
            return report(spec, out -> {
                RewardAnalysis analysis = RewardAnalyzer.analyze(plugins.registry().load(file));
                out.print(AnalysisReport.render(analysis));
                if (plot != null) {
                    RewardPlot.write(analysis, plot);
                    out.println("\nPlot: " + plot);
                }
            });
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = {
                    "Score rollouts with a reward section, as training would.",
                    "Prints one JSON reward per line: {\"value\", \"components\", \"category\"}."})
    static final class Score implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE.yaml", description = "A reward scheme file, or a job config.")
        Path file;

        @Option(names = "--rollouts", required = true, paramLabel = "ROLLOUTS.jsonl",
                description = {"One JSON rollout per line: {\"prompt\", \"completion\", \"completion_tokens\",",
                        "\"references\", \"metadata\"}, only \"completion\" required; '-' reads standard input."})
        String rollouts;

        @Mixin
        Plugins plugins;

        @Override
        public Integer call() {
            return report(spec, out -> {
                GuardedScheme scheme = plugins.registry().load(file);
                for (Reward reward : scheme.score(read())) {
                    out.println(RewardJson.write(RewardJson.toJson(reward)));
                }
                if (scheme.policy() instanceof FailurePolicy.Penalty && scheme.failures() > 0) {
                    out.flush();
                    spec.commandLine().getErr().println(scheme.failures() + " rollout(s) failed and were paid the"
                            + " penalty");
                }
            });
        }

        private List<Rollout> read() throws IOException {
            List<String> lines;
            if (rollouts.equals("-")) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                lines = in.lines().toList();
            } else {
                lines = Files.readAllLines(Path.of(rollouts));
            }
            List<Rollout> parsed = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String where = rollouts + ":" + (i + 1) + ": ";
                try {
                    parsed.add(RewardJson.rollout(RewardJson.read(lines.get(i))));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(where + "not JSON: " + e.getOriginalMessage());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + e.getMessage());
                }
            }
            return parsed;
        }
    }
}
