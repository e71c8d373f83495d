package dev.carrot.rollout;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a process joins the rollout cluster, trainer and workers alike. Everything binds {@code host}, by default the
 * loopback address, so that nothing is reachable from other machines unless asked for.
 *
 * @param name          the cluster's name: nodes join only a cluster of their name, so that separate clusters can
 *                      share machines; default {@code carrot}
 * @param host          the address this node binds and gives the others for Hazelcast, the event bus and (on the
 *                      trainer) the weight endpoint; default {@code 127.0.0.1}
 * @param members       Hazelcast members to join by TCP/IP, {@code host} or {@code host:port}; a member without a
 *                      port is tried on the ten ports from {@code hazelcastPort} up. Default: {@code [host]}, which
 *                      finds every node of this machine. Multicast and cloud discovery are never used
 * @param hazelcastPort the first port Hazelcast tries to bind (the next free one is taken); default 5701
 * @param eventBusPort  the event bus's port; default 0, a free one
 * @param weightsPort   the trainer's weight endpoint port; default 0, a free one
 * @param secretFile    the shared secret that authenticates workers to the weight endpoint; default
 *                      {@code ~/.carrot/cluster.secret}, created (owner-only) if missing
 * @param weightsDir    a directory every node sees (a shared filesystem) where the trainer writes each weights
 *                      version and workers read it, instead of fetching it over HTTP; null for HTTP
 * @param tls           event-bus and weight-endpoint TLS with mutual authentication; null for plain TCP
 */
public record ClusterOptions(String name, String host, List<String> members, int hazelcastPort, int eventBusPort,
        int weightsPort, Path secretFile, Path weightsDir, TlsSettings tls) {

    public static final String DEFAULT_NAME = "carrot";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_HAZELCAST_PORT = 5701;

    public ClusterOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(secretFile, "secretFile");
        members = members == null || members.isEmpty() ? List.of(host) : List.copyOf(members);
        requirePort("hazelcast port", hazelcastPort, false);
        requirePort("event bus port", eventBusPort, true);
        requirePort("weights port", weightsPort, true);
    }

    /** Loopback only, free ports, the default secret, weights over HTTP, no TLS. */
    public static ClusterOptions defaults() {
        return new ClusterOptions(DEFAULT_NAME, DEFAULT_HOST, List.of(), DEFAULT_HAZELCAST_PORT, 0, 0,
                ClusterSecret.DEFAULT_FILE, null, null);
    }

    private static void requirePort(String what, int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(what + ": expected a port number" + (zeroAllowed ? " (0 for any free"
                    + " port)" : "") + ", got " + port);
        }
    }
}
