package io.ticketkeeper.session.redis;

import io.ticketkeeper.internal.Durations;
import io.ticketkeeper.internal.RedisEndpoint;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.ticketkeeper.internal.RedisLink;
import io.ticketkeeper.internal.BoundedWait;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStore;
import io.ticketkeeper.session.SessionStoreStats;

import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A session store in Redis for a fleet of servers, on Lettuce (an optional dependency: add
 * {@code io.lettuce:lettuce-core} to use this class). Entries are sealed with AES-256-GCM under the first of the
 * configured {@link SealingKey}s and opened by any of them, with the session id bound as additional data; an entry
 * that does not open (tampered, foreign, under a retired key) is a miss, counted as rejected. Each entry lives as
 * long as its session ({@code SET ... PX}). {@link #take} is {@code GETDEL}, atomic across nodes.
 *
 * <p>No call waits longer than the configured timeout: a Redis that is slow, down or unreachable turns each lookup
 * into a miss (a full handshake) and each store into a skipped one, counted as timeouts or failures. Lettuce
 * reconnects in the background; while disconnected, commands fail at once rather than queue.
 */
public final class RedisSessionStore implements SessionStore, AutoCloseable {
    private final RedisLink link;
    private final RedisLink.Connection connection;
    private final RedisClusterAsyncCommands<byte[], byte[]> commands;
    private final SessionSealer sealer;
    private final byte[] prefix;
    private final long timeoutNanos;
    private final String description;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removes = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    private RedisSessionStore(Builder builder) {
        this.sealer = new SessionSealer(builder.keys);
        this.prefix = builder.keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.timeoutNanos = builder.timeout.toNanos();
        this.description = "RedisSessionStore{" + builder.endpoint + ", prefix=" + builder.keyPrefix + ", timeout="
                + builder.timeout + ", " + sealer + "}";
        this.link = builder.endpoint.link(builder.timeout, builder.connectTimeout, true);
        try {
            this.connection = link.connect();
        } catch (RuntimeException e) {
            link.close();
            throw builder.endpoint.connectFailed(e);
        }
        this.commands = connection.async();
    }

    /**
     * A store at {@code uri} ({@code redis://host:port[/db]}, {@code rediss://} for TLS; the master Sentinel names,
     * {@code redis-sentinel://host:port[,host:port…][/db]#masterName}, followed through failovers; a Redis Cluster,
     * {@code redis-cluster://host:port[,host:port…]}; TLS with {@code rediss-…}; a password as in
     * {@code redis://:password@host:port} or {@code redis://user:password@host:port}, or set with
     * {@link Builder#credentials}) sealed by {@code keys}, the first one sealing.
     */
    public static Builder builder(String uri, List<SealingKey> keys) {
        return new Builder(uri, keys);
    }

    @Override
    public void put(SessionId id, byte[] session, Duration ttl) {
        long millis = ttl.toMillis();
        if (millis <= 0) {
            return;
        }
        byte[] entry;
        try {
            entry = sealer.seal(id, session);
        } catch (GeneralSecurityException e) {
            failures.increment();
            return;
        }
        if (await(commands.set(key(id), entry, SetArgs.Builder.px(millis))) != null) {
            puts.increment();
        }
    }

    @Override
    public Optional<byte[]> get(SessionId id) {
        return opened(id, await(commands.get(key(id))));
    }

    @Override
    public Optional<byte[]> take(SessionId id) {
        return opened(id, await(commands.getdel(key(id))));
    }

    @Override
    public boolean atomicTake() {
        return true;
    }

    @Override
    public void remove(SessionId id) {
        if (await(commands.del(key(id))) != null) {
            removes.increment();
        }
    }

    private Optional<byte[]> opened(SessionId id, byte[] entry) {
        if (entry == null) {
            misses.increment();
            return Optional.empty();
        }
        Optional<byte[]> session = sealer.open(id, entry);
        if (session.isEmpty()) {
            rejected.increment();
            misses.increment();
            return session;
        }
        hits.increment();
        return session;
    }

    /** The command's result within the timeout, or null (counted) when it is late or failed. */
    private <T> T await(RedisFuture<T> future) {
        return BoundedWait.await(future, timeoutNanos, timeouts, failures);
    }

    private byte[] key(SessionId id) {
        byte[] idBytes = id.bytes();
        byte[] key = new byte[prefix.length + idBytes.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(idBytes, 0, key, prefix.length, idBytes.length);
        return key;
    }

    /** The Redis key an id is stored under (for operators and tests). */
    public byte[] redisKey(SessionId id) {
        return key(id);
    }

    public SessionStoreStats stats() {
        return new SessionStoreStats(hits.sum(), misses.sum(), puts.sum(), removes.sum(), 0, timeouts.sum(),
                failures.sum(), rejected.sum());
    }

    @Override
    public void close() {
        connection.close();
        link.close();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Configures a {@link RedisSessionStore}; each value is checked as it is set. */
    public static final class Builder {
        private final RedisEndpoint endpoint;
        private final List<SealingKey> keys;
        private Duration timeout = Duration.ofMillis(100);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private String keyPrefix = "ticketkeeper:session:";

        private Builder(String uri, List<SealingKey> keys) {
            this.endpoint = RedisEndpoint.parse(uri);
            this.keys = List.copyOf(keys);
            new SessionSealer(this.keys);
        }

        /** The longest any command may take before it counts as a miss. Default 100 ms. */
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.positive("timeout", timeout);
            return this;
        }

        /** The longest a (re)connection may take. Default 2 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Durations.positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * Authenticates as the ACL user {@code user} (null: the default user, as with {@code requirepass}) with
         * {@code password} (copied), instead of any credentials in the URI.
         */
        public Builder credentials(String user, char[] password) {
            endpoint.credentials(user, password);
            return this;
        }

        /** For {@code rediss://}: trust the CA certificates in this PEM file instead of the JDK's. */
        public Builder trustedCertificates(Path caPemFile) {
            endpoint.trustedCertificates(caPemFile);
            return this;
        }

        /** The prefix of every key, so that several fleets can share a Redis. Default {@code ticketkeeper:session:}. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /**
         * Connects; throws IllegalStateException naming the server and the reason when it cannot be reached (a
         * refused password or certificate included), IllegalArgumentException for a CA file with a plain URI.
         */
        public RedisSessionStore build() {
            return new RedisSessionStore(this);
        }
    }
}
