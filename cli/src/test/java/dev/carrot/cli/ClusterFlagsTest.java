package dev.carrot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.common.InvalidInputException;
import dev.carrot.rollout.ClusterOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The cluster options of {@code worker} and {@code train}: what a bare {@code --cluster} means, and misuse. */
class ClusterFlagsTest {

    private static ClusterOptions workerOptions(String... args) {
        WorkerCommand worker = new WorkerCommand();
        new CommandLine(worker).parseArgs(args);
        return worker.flags.toOptions();
    }

    @Test
    void aBareClusterFlagStaysOnThisMachineWithTheUsersSecretAndNoTls() {
        ClusterOptions options = workerOptions("--cluster");
        assertEquals("127.0.0.1", options.host());
        assertEquals(List.of("127.0.0.1"), options.members());
        assertEquals(5701, options.hazelcastPort());
        assertEquals(0, options.eventBusPort());
        assertEquals(Path.of(System.getProperty("user.home"), ".carrot", "cluster.secret"), options.secretFile());
        assertNull(options.weightsDir());
        assertNull(options.tls());
    }

    @Test
    void membersAndHostAreTakenAsGiven() {
        ClusterOptions options = workerOptions("--cluster", "--cluster-host", "10.0.0.7", "--members",
                "10.0.0.5,10.0.0.7:5702", "--event-bus-port", "5801");
        assertEquals("10.0.0.7", options.host());
        assertEquals(List.of("10.0.0.5", "10.0.0.7:5702"), options.members());
        assertEquals(5801, options.eventBusPort());
    }

    @Test
    void tlsNeedsItsThreeFiles() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> workerOptions("--cluster", "--tls-key-store", "node.p12"));
        assertTrue(e.getMessage().contains("--tls-trust-store"), e.getMessage());
    }

    @Test
    void aWorkerNeedsClusterAndATrainerNeedsClusterForNoLocalWorkers() {
        StringWriter err = new StringWriter();
        CommandLine cli = CarrotCommand.commandLine().setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("worker"));
        assertTrue(err.toString().contains("--cluster"), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("train", "job.yaml", "--out", "runs/x", "--no-local-workers"));
        assertTrue(err.toString().contains("--no-local-workers needs --cluster"), err.toString());
    }
}
