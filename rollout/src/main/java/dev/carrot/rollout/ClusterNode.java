package dev.carrot.rollout;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import dev.carrot.common.InvalidInputException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This process as a member of the rollout cluster: a clustered Vert.x whose cluster manager is Hazelcast, configured
 * in code rather than from a {@code cluster.xml} on the class path, so that what a node does on the network is
 * exactly what {@link ClusterOptions} says:
 * <ul>
 *   <li>members join over TCP/IP with the configured member list, never multicast or cloud auto-detection, and
 *       Hazelcast's phone-home is off;</li>
 *   <li>Hazelcast, the event bus and everything else bind the configured host (loopback by default);</li>
 *   <li>a member that stops answering heartbeats for {@value #NO_HEARTBEAT_SECONDS} s is dropped, so that the
 *       trainer re-issues a killed worker's requests within seconds, not minutes;</li>
 *   <li>with {@link TlsSettings}, event-bus connections are TLS with client certificates required.</li>
 * </ul>
 */
final class ClusterNode implements AutoCloseable {

    static final int NO_HEARTBEAT_SECONDS = 5;
    /** The member attribute in which vertx-hazelcast keeps a member's Vert.x node id. */
    private static final String VERTX_NODE_ID = "__vertx.nodeId";
    /** Ports tried for a member given without one: enough for a trainer and several workers on one machine. */
    static final int PORTS_PER_MEMBER = 10;

    /**
     * Hazelcast logs every membership change at INFO; the trainer reports what matters itself. Its CP subsystem
     * (linearizable locks and counters) warns at every start that it is off: the cluster uses none of it. Held
     * strongly so that the levels are not lost when the loggers are collected.
     */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    private static final Logger HAZELCAST_CP_LOG = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

    private final Vertx vertx;
    private final HazelcastClusterManager clusterManager;

    private ClusterNode(Vertx vertx, HazelcastClusterManager clusterManager) {
        this.vertx = vertx;
        this.clusterManager = clusterManager;
    }

    /** Joins the cluster, or starts it as its first member; returns once joined. */
    static ClusterNode join(ClusterOptions options) {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        HAZELCAST_CP_LOG.setLevel(Level.SEVERE);
        HazelcastClusterManager clusterManager = new HazelcastClusterManager(hazelcastConfig(options));
        VertxOptions vertxOptions = new VertxOptions().setEventBusOptions(eventBusOptions(options));
        try {
            Vertx vertx = Vertx.builder().with(vertxOptions).withClusterManager(clusterManager).buildClustered()
                    .await();
            return new ClusterNode(vertx, clusterManager);
        } catch (Exception e) { // nearly always the options: a host that is not this machine's, a port in use
            throw new InvalidInputException("could not join the rollout cluster as " + options.host() + " (members "
                    + options.members() + "); check that --cluster-host is an address of this machine and its ports"
                    + " are free: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    static Config hazelcastConfig(ClusterOptions options) {
        Config config = new Config();
        config.setClusterName(options.name());
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "jdk");
        config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        config.setProperty(ClusterProperty.TCP_JOIN_PORT_TRY_COUNT.getName(), Integer.toString(PORTS_PER_MEMBER));
        config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "1");
        config.setProperty(ClusterProperty.MAX_WAIT_SECONDS_BEFORE_JOIN.getName(), "2");
        config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(), "1");
        config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(), Integer.toString(NO_HEARTBEAT_SECONDS));
        // On Ctrl-C a member leaves the cluster cleanly, so that the others drop it at once.
        config.setProperty(ClusterProperty.SHUTDOWNHOOK_POLICY.getName(), "GRACEFUL");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(options.hazelcastPort()).setPortAutoIncrement(true).setPortCount(100);
        network.setPublicAddress(options.host());
        network.getInterfaces().setEnabled(true).addInterface(options.host());
        network.getJoin().getMulticastConfig().setEnabled(false);
        network.getJoin().getAutoDetectionConfig().setEnabled(false);
        network.getJoin().getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2)
                .setMembers(options.members());
        // The structures vertx-hazelcast keeps (its default-cluster.xml), written out here instead of read from it.
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.getMapConfig("__vertx.haInfo").setBackupCount(1);
        config.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
        return config;
    }

    static EventBusOptions eventBusOptions(ClusterOptions options) {
        EventBusOptions eventBus = new EventBusOptions()
                .setHost(options.host())
                .setPort(options.eventBusPort())
                .setClusterPublicHost(options.host());
        TlsSettings tls = options.tls();
        if (tls != null) {
            eventBus.setSsl(true)
                    .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore().toString()).setPassword(tls.password()))
                    .setTrustOptions(new PfxOptions().setPath(tls.trustStore().toString())
                            .setPassword(tls.password()))
                    .setClientAuth(ClientAuth.REQUIRED)
                    .setTrustAll(false);
        }
        return eventBus;
    }

    Vertx vertx() {
        return vertx;
    }

    /** How many other members the cluster has now: worker processes, and any other trainer. */
    int otherMembers() {
        return clusterManager.getNodes().size() - 1;
    }

    /** This node's id, as {@link #onLeft} reports it. */
    String id() {
        return clusterManager.getNodeId();
    }

    /**
     * Calls {@code listener}, on a Hazelcast thread, with the id of every node that leaves or is dropped. This listens
     * to Hazelcast's membership directly: the cluster manager's {@code nodeListener} slot holds one listener, and
     * Vert.x's own HA manager occupies it.
     */
    void onLeft(Consumer<String> listener) {
        clusterManager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {}

            @Override
            public void memberRemoved(MembershipEvent event) {
                listener.accept(event.getMember().getAttribute(VERTX_NODE_ID));
            }
        });
    }

    /** Leaves the cluster. */
    @Override
    public void close() {
        vertx.close().await();
    }
}
