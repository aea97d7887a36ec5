package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.harness.LocalhostPem;
import io.ticketkeeper.harness.RedisSentinel;
import io.ticketkeeper.harness.RedisServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of {@code serve} processes sharing ticket keys through one real redis-server: one wrapping key file made
 * by {@code keygen --format fleet}, one certificate for every server (as behind a load balancer), short periods.
 * Tickets are sealed and resumed with {@code openssl s_client -sess_out/-sess_in}.
 */
final class ServeFleet implements AutoCloseable {
    static final String PREFIX = "ticketkeeper:fleet:";

    private final Path directory;
    private final Duration period;
    private final Duration maxAge;
    final Path wrappingKey;
    final LocalhostPem certificate;
    RedisServer redis;
    /** The --key-source of every serve: this fleet's redis-server unless a test points them elsewhere. */
    private String keySource;
    private RedisSentinel sentinel;
    private final List<ServeProcess> serves = new ArrayList<>();
    private RedisClient rawClient;
    private StatefulRedisConnection<byte[], byte[]> raw;

    ServeFleet(Path directory, Duration period, Duration maxAge) throws Exception {
        this.directory = directory;
        this.period = period;
        this.maxAge = maxAge;
        this.wrappingKey = keygen("fleet.key");
        this.certificate = LocalhostPem.create(directory, "server");
        this.redis = RedisServer.start();
    }

    /** A fresh wrapping key file (keygen --format fleet). */
    Path keygen(String name) {
        Path file = directory.resolve(name);
        assertEquals(0, CommandResult.run("keygen", "--format", "fleet", file.toString()).exitCode());
        return file;
    }

    /** Starts a serve of the fleet, its output in {@code <name>.log}; {@code extra} adds or overrides flags. */
    ServeProcess serve(String name, String... extra) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--key-source", keySource != null ? keySource : redis.uri(),
                "--rotate-every",
                DurationConverter.format(period), "--max-age", DurationConverter.format(maxAge), "--renew-after",
                DurationConverter.format(maxAge), "--cert", certificate.certificate().toString(), "--key",
                certificate.key().toString()));
        if (!List.of(extra).contains("--fleet-key-file")) {
            flags.addAll(List.of("--fleet-key-file", wrappingKey.toString()));
        }
        flags.addAll(List.of(extra));
        ServeProcess serve = ServeProcess.start(directory.resolve(name + ".log"), flags.toArray(new String[0]));
        serves.add(serve);
        return serve;
    }

    /**
     * Starts Redis Sentinel under {@code parent} (a master, two replicas, three sentinels) and points the serves
     * started from now on at it; it is closed with the fleet, after the serves.
     */
    RedisSentinel onSentinel(Path parent) throws Exception {
        sentinel = RedisSentinel.start(parent, 2, 3);
        keySource = sentinel.uri();
        return sentinel;
    }

    /** Kills Redis and starts an empty one on the same port, as a Redis without persistence comes back. */
    void restartRedisEmpty() throws Exception {
        closeRaw();
        redis = redis.restart();
    }

    /** Redis's commands, for a test that reads or tampers with the entries. */
    RedisCommands<byte[], byte[]> raw() {
        if (raw == null) {
            rawClient = RedisClient.create(redis.uri());
            raw = rawClient.connect(ByteArrayCodec.INSTANCE);
        }
        return raw.sync();
    }

    /** The periods whose key entries Redis holds, in order. */
    TreeSet<Long> periodsInRedis() {
        TreeSet<Long> periods = new TreeSet<>();
        for (byte[] key : raw().keys(PREFIX + "key:*")) {
            String name = new String(key, StandardCharsets.UTF_8);
            periods.add(Long.parseLong(name.substring(name.lastIndexOf(':') + 1)));
        }
        return periods;
    }

    /**
     * Returns once the newest key in Redis has stood for two thirds of {@code period}: every serve reads Redis each
     * poll (a quarter period) and within the announcement jitter (at most half a poll) of a key being made, so by
     * then all of them hold it. A key made just before Redis is spoiled or stopped may otherwise be held by its
     * maker alone (docs/fleet.md, "A key made just before an outage").
     */
    long waitUntilEveryServeHoldsTheNewestKey(java.time.Duration period) throws InterruptedException {
        long newest = periodsInRedis().last();
        while (true) {
            Thread.sleep(period.multipliedBy(2).dividedBy(3).toMillis());
            long now = periodsInRedis().last();
            if (now == newest) {
                return newest;
            }
            newest = now;
        }
    }

    /** One s_client connection to {@code serve}, sealing a fresh session into {@code session}. */
    Sealed seal(ServeProcess serve, TlsVersion version, String session) throws Exception {
        Path file = directory.resolve(session + ".pem");
        String output = SClient.connect(serve.port(), version, null, file);
        return new Sealed(serve, version, file, SClient.ticketKey(output));
    }

    /** Whether {@code sealed}'s session resumes on {@code serve}. */
    boolean resumes(Sealed sealed, ServeProcess serve) throws Exception {
        return SClient.reused(SClient.connect(serve.port(), sealed.version(), sealed.file(), null), sealed.version());
    }

    /** Sleeps until the next moment {@code offset} into a period (by the system clock). */
    void awaitPeriod(Duration offset) throws InterruptedException {
        long length = period.toMillis();
        long now = System.currentTimeMillis();
        long next = now / length * length + offset.toMillis();
        Thread.sleep((next > now ? next : next + length) - now);
    }

    /**
     * A session sealed on one serve.
     *
     * @param ticketKey the name (hex) of the key that sealed its ticket, or null when the serve sent no ticket
     */
    record Sealed(ServeProcess by, TlsVersion version, Path file, String ticketKey) {
    }

    private void closeRaw() {
        if (raw != null) {
            raw.close();
            rawClient.shutdown(0, 1, TimeUnit.SECONDS);
            raw = null;
        }
    }

    @Override
    public void close() {
        serves.forEach(ServeProcess::close);
        closeRaw();
        redis.close();
        if (sentinel != null) {
            sentinel.close();
        }
    }
}
