package dev.carrot.cli;

import dev.carrot.common.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
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
                PretrainCommand.class,
                SftCommand.class,
                TrainCommand.class,
                WorkerCommand.class,
                EvalCommand.class,
                ServeCommand.class,
                SampleCommand.class,
                RewardsCommand.class,
                BenchCommand.class,
        })
public final class CarrotCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as users get it, failure reporting included. */
    static CommandLine commandLine() {
        return new CommandLine(new CarrotCommand()).setExecutionExceptionHandler(CarrotCommand::reportFailure);
    }

    /**
     * Bad input (a job file, a dataset, a checkpoint, an argument) is the user's to fix: one line naming what is
     * wrong, no stack trace. Anything else is Carrot's bug and keeps its stack trace.
     */
    private static int reportFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if (e instanceof InvalidInputException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException) {
            cli.getErr().println("carrot " + cli.getCommandName() + ": " + e.getMessage());
            return 2;
        }
        e.printStackTrace(cli.getErr());
        return 1;
    }
}
