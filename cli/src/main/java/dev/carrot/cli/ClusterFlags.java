package dev.carrot.cli;

import dev.carrot.common.InvalidInputException;
import dev.carrot.rollout.ClusterOptions;
import dev.carrot.rollout.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of a process in the rollout cluster, shared by {@code train --cluster} and {@code worker --cluster}. */
final class ClusterFlags {

    @Option(names = "--cluster-host", paramLabel = "HOST", defaultValue = ClusterOptions.DEFAULT_HOST,
            description = "address this node binds and gives the others: Hazelcast, event bus, weight endpoint"
                    + " (default: ${DEFAULT-VALUE}, this machine only)")
    String host;

    @Option(names = "--members", paramLabel = "HOST[:PORT],...", split = ",",
            description = "cluster members to join over TCP/IP; a member without a port is tried on the ten"
                    + " ports from --hazelcast-port up (default: --cluster-host)")
    List<String> members = new ArrayList<>();

    @Option(names = "--cluster-name", defaultValue = ClusterOptions.DEFAULT_NAME,
            description = "nodes join only a cluster of this name (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--hazelcast-port", defaultValue = "5701",
            description = "first port Hazelcast tries to bind; the next free one is taken (default: ${DEFAULT-VALUE})")
    int hazelcastPort;

    @Option(names = "--event-bus-port", defaultValue = "0",
            description = "event-bus port (default: any free port)")
    int eventBusPort;

    @Option(names = "--weights-port", defaultValue = "0",
            description = "trainer only: port of the weight endpoint (default: any free port)")
    int weightsPort;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "shared secret that authenticates workers to the trainer's weight endpoint; created,"
                    + " owner-only, if missing (default: ~/.carrot/cluster.secret)")
    Path secretFile;

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "a directory on a filesystem every node shares: the trainer writes weights there and"
                    + " workers read them, instead of HTTP")
    Path weightsDir;

    @Option(names = "--tls-key-store", paramLabel = "FILE.p12",
            description = "this node's key and certificate (PKCS#12): turns on mutual TLS for the event bus and"
                    + " the weight endpoint")
    Path keyStore;

    @Option(names = "--tls-trust-store", paramLabel = "FILE.p12",
            description = "certificates (PKCS#12) that peers must chain to")
    Path trustStore;

    @Option(names = "--tls-password-file", paramLabel = "FILE",
            description = "file whose first line is the password of both stores")
    Path passwordFile;

    ClusterOptions toOptions() {
        TlsSettings tls = null;
        if (keyStore != null || trustStore != null || passwordFile != null) {
            if (keyStore == null || trustStore == null || passwordFile == null) {
                throw new InvalidInputException("TLS needs all of --tls-key-store, --tls-trust-store and"
                        + " --tls-password-file");
            }
            tls = new TlsSettings(keyStore, trustStore, firstLine(passwordFile));
        }
        return new ClusterOptions(name, host, members, hazelcastPort, eventBusPort, weightsPort,
                secretFile != null ? secretFile : ClusterOptions.defaults().secretFile(), weightsDir, tls);
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new InvalidInputException(file + ": expected the TLS store password on the first line");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS password file " + file, e);
        }
    }
}
