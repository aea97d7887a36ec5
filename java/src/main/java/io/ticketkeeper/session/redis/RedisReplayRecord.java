package io.ticketkeeper.session.redis;

import io.ticketkeeper.ReplayAnswer;
import io.ticketkeeper.ReplayRecord;
import io.ticketkeeper.internal.BoundedWait;
import io.ticketkeeper.internal.Durations;
import io.ticketkeeper.internal.RedisEndpoint;
import io.ticketkeeper.internal.RedisLink;

import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The anti-replay record of a fleet, in Redis (Lettuce, an optional dependency): each ClientHello random (or ticket
 * identity) is {@code SET key 1 NX PX ttl} on the fleet's Redis, so whichever server sees a ClientHello first records it and
 * every server, this one or another, refuses its replay within the window. The handshake thread waits at most
 * {@code wait} (default 20 ms): a Redis that is down, slow or refusing answers {@link ReplayAnswer#UNAVAILABLE}, so
 * early data is refused and the handshake goes on in 1-RTT; never accepted unchecked.
 *
 * <p>Records outlive a server's restart, so a server that starts with Redis reachable needs no start window. After
 * a failure the record may have lost entries (a Redis restarted without persistence answers again): for a window
 * (or a ticket lifetime) after the last failure it answers {@link ReplayAnswer#STARTING} for tickets first issued before that failure.
 * What it cannot see: a failover to a replica that had not yet received the newest records (Redis replicates
 * asynchronously) lets those ClientHellos be replayed once more within the window.
 */
public final class RedisReplayRecord implements ReplayRecord {
    private static final byte[] ONE = {'1'};
    private static final String REPLAYED = "replayed";

    private final RedisLink link;
    private final RedisLink.Connection connection;
    private final RedisClusterAsyncCommands<byte[], byte[]> commands;
    private final byte[] prefix;
    private final Duration window;
    private final long waitNanos;
    private final String description;
    /** The time of the last unanswered command, or Long.MIN_VALUE. */
    private final AtomicLong lastFailureMillis = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder failures = new LongAdder();

    private RedisReplayRecord(Builder builder) {
        this.window = builder.window;
        this.waitNanos = builder.wait.toNanos();
        this.prefix = builder.keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.description = "RedisReplayRecord{" + builder.endpoint + ", window=" + builder.window + ", wait="
                + builder.wait + ", prefix=" + builder.keyPrefix + "}";
        this.link = builder.endpoint.link(builder.wait, builder.connectTimeout, true);
        try {
            this.connection = link.connect();
        } catch (RuntimeException e) {
            link.close();
            throw builder.endpoint.connectFailed(e);
        }
        this.commands = connection.async();
        warmUp(builder.connectTimeout);
    }

    /**
     * One throwaway command before the first handshake needs one: a connection's first commands run cold (class
     * loading, JIT) and could take longer than the wait, refusing early data for no fault of Redis.
     */
    private void warmUp(Duration within) {
        BoundedWait.await(commands.set(key(new byte[] {'w', 'a', 'r', 'm'}), ONE, SetArgs.Builder.px(1000))
                .toCompletableFuture(), within.toNanos(), new LongAdder(), new LongAdder());
    }

    /** A record at {@code uri}, in the forms of {@link RedisSessionStore#builder}. */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    @Override
    public ReplayAnswer record(byte[] key, long ttlMillis, long ticketIssuedAtMillis, long nowMillis) {
        long failedAt = lastFailureMillis.get();
        if (failedAt != Long.MIN_VALUE && nowMillis < failedAt + ttlMillis && ticketIssuedAtMillis < failedAt) {
            return ReplayAnswer.STARTING;
        }
        String answer;
        try {
            // SET NX answers OK when it set the key and nil when the key was there: nil becomes REPLAYED, so that
            // null means only what BoundedWait makes of a late or failed command.
            answer = BoundedWait.await(commands.set(key(key), ONE, SetArgs.Builder.nx().px(ttlMillis))
                    .thenApply(reply -> reply == null ? REPLAYED : reply).toCompletableFuture(), waitNanos, timeouts,
                    failures);
        } catch (RuntimeException e) {
            failures.increment();
            answer = null;
        }
        if (answer == null) {
            lastFailureMillis.set(nowMillis);
            return ReplayAnswer.UNAVAILABLE;
        }
        return "OK".equals(answer) ? ReplayAnswer.FIRST : ReplayAnswer.REPLAY;
    }

    private byte[] key(byte[] id) {
        byte[] key = new byte[prefix.length + id.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(id, 0, key, prefix.length, id.length);
        return key;
    }

    @Override
    public Duration window() {
        return window;
    }

    /** Commands that did not answer within the wait. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Commands that failed (Redis down, refused). */
    public long failures() {
        return failures.sum();
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

    /** Configures a {@link RedisReplayRecord}; each value is checked as it is set. */
    public static final class Builder {
        private final RedisEndpoint endpoint;
        private Duration window = ReplayRecord.MIN_WINDOW;
        private Duration wait = Duration.ofMillis(20);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private String keyPrefix = "ticketkeeper:hello:";

        private Builder(String uri) {
            this.endpoint = RedisEndpoint.parse(uri);
        }

        /** How long a ClientHello is remembered. Default (and least) 11 s. */
        public Builder window(Duration window) {
            this.window = Durations.positive("window", window);
            return this;
        }

        /** The longest a handshake waits for Redis before it refuses the early data. Default 20 ms. */
        public Builder wait(Duration wait) {
            this.wait = Durations.positive("wait", wait);
            return this;
        }

        /** The longest a (re)connection may take. Default 2 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Durations.positive("connectTimeout", connectTimeout);
            return this;
        }

        /** As {@link RedisSessionStore.Builder#credentials}. */
        public Builder credentials(String user, char[] password) {
            endpoint.credentials(user, password);
            return this;
        }

        /** For {@code rediss://}: trust the CA certificates in this PEM file instead of the JDK's. */
        public Builder trustedCertificates(Path caPemFile) {
            endpoint.trustedCertificates(caPemFile);
            return this;
        }

        /** The prefix of every key. Default {@code ticketkeeper:hello:}. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = java.util.Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /** Connects; throws IllegalStateException naming the server and the reason when it cannot be reached. */
        public RedisReplayRecord build() {
            return new RedisReplayRecord(this);
        }
    }
}
