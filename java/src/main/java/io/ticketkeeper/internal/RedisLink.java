package io.ticketkeeper.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.util.concurrent.TimeUnit;

/**
 * A Lettuce client for one {@link RedisEndpoint}, whatever it reaches, and the connections it makes: commands go to
 * the one server, to the master Sentinel names (with reconnection, a master-replica connection that follows
 * failovers; without, a connection to the master named when it is made), or to the
 * cluster node serving each key's slot (topology refreshed periodically and when a MOVED or a reconnect says it
 * changed). Every connection speaks bytes.
 */
public final class RedisLink implements AutoCloseable {
    private final RedisEndpoint.Kind kind;
    private final AbstractRedisClient client;
    private final RedisURI uri;
    private final String where;
    private final boolean autoReconnect;
    /** Whether a cluster connection was made already: the next one reads the topology anew first. */
    private volatile boolean connectedBefore;

    RedisLink(RedisEndpoint.Kind kind, AbstractRedisClient client, RedisURI uri, String where, boolean autoReconnect) {
        this.kind = kind;
        this.client = client;
        this.uri = uri;
        this.where = where;
        this.autoReconnect = autoReconnect;
    }

    public RedisEndpoint.Kind kind() {
        return kind;
    }

    /** A connection for commands. */
    public Connection connect() {
        return switch (kind) {
            case CLUSTER -> {
                RedisClusterClient cluster = (RedisClusterClient) client;
                if (connectedBefore) {
                    // A connection made anew (the last one failed) would otherwise route by the client's cached
                    // topology until its periodic refresh (30 s): after a master crashed, to the dead node.
                    try {
                        cluster.refreshPartitions();
                    } catch (RuntimeException ignored) {
                        // the cached topology is used, and its commands say whether it still works
                    }
                }
                connectedBefore = true;
                yield new Connection(connected(cluster.connect(ByteArrayCodec.INSTANCE)));
            }
            // A connection that lives on (reconnecting) follows the sentinels' announcements; one that is dropped
            // and made anew on every failure (the fleet's) only needs the master the sentinels name when it is made:
            // a demoted master refuses its writes (READONLY), and the next connection finds the new one.
            case SENTINEL -> new Connection(autoReconnect
                    ? MasterReplica.connect((RedisClient) client, ByteArrayCodec.INSTANCE, uri)
                    : ((RedisClient) client).connect(ByteArrayCodec.INSTANCE, uri));
            default -> new Connection(((RedisClient) client).connect(ByteArrayCodec.INSTANCE, uri));
        };
    }

    /**
     * The cluster connection with a connection to every master made now: Lettuce connects to a node lazily, and
     * with commands rejected while disconnected the first command to a master would fail. A master that cannot be
     * reached is left to fail its commands.
     */
    private static StatefulRedisClusterConnection<byte[], byte[]> connected(
            StatefulRedisClusterConnection<byte[], byte[]> connection) {
        for (RedisClusterNode node : connection.getPartitions()) {
            if (node.getRole().isUpstream()) {
                try {
                    // By host and port: the connection Lettuce routes a slot's commands to.
                    connection.getConnection(node.getUri().getHost(), node.getUri().getPort());
                } catch (RuntimeException ignored) {
                    // its commands fail, and the caller sees that
                }
            }
        }
        return connection;
    }

    /**
     * A connection for pub/sub: on the master (found through Sentinel when it is made), or on one node of a cluster,
     * where a {@code PUBLISH} on any node reaches the subscribers of every node.
     */
    public StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        return switch (kind) {
            case CLUSTER -> ((RedisClusterClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
            default -> ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE, uri);
        };
    }

    /**
     * For Sentinel: a pub/sub connection to the first sentinel that accepts one, on which the sentinels announce
     * their events ({@code +switch-master} among them); null for other kinds.
     *
     * @throws RuntimeException when no sentinel accepts one (the last failure)
     */
    public StatefulRedisPubSubConnection<byte[], byte[]> connectSentinelPubSub() {
        if (kind != RedisEndpoint.Kind.SENTINEL) {
            return null;
        }
        RuntimeException failed = null;
        for (RedisURI sentinel : uri.getSentinels()) {
            try {
                return ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE, sentinel);
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        throw failed != null ? failed : new IllegalStateException("no sentinel in " + where);
    }

    /** The master name the sentinels watch for this link, or null when it is not a Sentinel link. */
    public String masterName() {
        return kind == RedisEndpoint.Kind.SENTINEL ? uri.getSentinelMasterId() : null;
    }

    /** Closes every connection of this link, and its client. */
    @Override
    public void close() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return where;
    }

    /** A connection for commands, on any kind of Redis. */
    public static final class Connection {
        private final StatefulConnection<byte[], byte[]> connection;
        private final RedisClusterCommands<byte[], byte[]> sync;
        private final RedisClusterAsyncCommands<byte[], byte[]> async;

        Connection(StatefulRedisConnection<byte[], byte[]> connection) {
            this.connection = connection;
            this.sync = connection.sync();
            this.async = connection.async();
        }

        Connection(StatefulRedisClusterConnection<byte[], byte[]> connection) {
            this.connection = connection;
            this.sync = connection.sync();
            this.async = connection.async();
        }

        public RedisClusterCommands<byte[], byte[]> sync() {
            return sync;
        }

        public RedisClusterAsyncCommands<byte[], byte[]> async() {
            return async;
        }

        public boolean isOpen() {
            return connection.isOpen();
        }

        /**
         * {@code SET key value args}, then, when it was set and {@code replicas} is positive, {@code WAIT replicas
         * timeoutMillis} on the same connection to the same master (a cluster's: the node serving the key), so that
         * the write is on that many replicas, or the timeout passed, before the caller tells anyone about it. A
         * {@code MOVED} answer is followed once, to the node it names.
         *
         * @return null when the key was not set (NX), else the number of replicas that acknowledged (0 when
         *     {@code replicas} is 0)
         */
        public Long setAndWait(byte[] key, byte[] value, SetArgs args, int replicas, long timeoutMillis) {
            RedisClusterCommands<byte[], byte[]> on = sync;
            if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster && replicas > 0) {
                RedisClusterNode node = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
                if (node != null) {
                    on = cluster.getConnection(node.getUri().getHost(), node.getUri().getPort()).sync();
                }
            }
            String set;
            try {
                set = on.set(key, value, args);
            } catch (RedisCommandExecutionException e) {
                // The slot moved (a migration, a failover the topology does not show yet): write and wait on the
                // node the answer names, as a redirection would.
                String moved = e.getMessage();
                if (!(connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)
                        || moved == null || !moved.startsWith("MOVED ")) {
                    throw e;
                }
                String address = moved.substring(moved.lastIndexOf(' ') + 1);
                int colon = address.lastIndexOf(':');
                on = cluster.getConnection(address.substring(0, colon),
                        Integer.parseInt(address.substring(colon + 1))).sync();
                set = on.set(key, value, args);
            }
            if (set == null) {
                return null;
            }
            return replicas > 0 ? on.waitForReplication(replicas, timeoutMillis) : 0L;
        }

        /** Closes the connection without waiting, unless it is closed already. */
        public void closeAsync() {
            if (connection.isOpen()) {
                connection.closeAsync();
            }
        }

        public void close() {
            connection.close();
        }
    }
}
