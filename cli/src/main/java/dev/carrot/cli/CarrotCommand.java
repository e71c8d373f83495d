package dev.carrot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root of {@code ./carrot}: every user-facing job is a subcommand. */
@Command(
        name = "carrot",
        mixinStandardHelpOptions = true,
        version = "carrot 0.1.0",
        description = "Incentive-based RL fine-tuning of language models.",
        subcommands = {
                CommandLine.HelpCommand.class,
                WorldCommand.class,
        })
public final class CarrotCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CarrotCommand()).execute(args));
    }
}
