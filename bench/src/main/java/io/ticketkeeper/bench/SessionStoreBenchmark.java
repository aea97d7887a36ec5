package io.ticketkeeper.bench;

import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStore;
import io.ticketkeeper.session.SessionStores;
import io.ticketkeeper.session.redis.SealingKey;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Session store latency as a handshake waits for it, get and put, sampled so that the report has p50 and p99: the
 * bounded in-memory store and the Redis store (sealed entries, a redis-server started on a loopback port). The
 * store holds 4,096 sessions of 200 bytes, about the DER size of a TLS 1.2 session without a client certificate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SessionStoreBenchmark {
    private static final int SESSIONS = 4096;
    private static final Duration TTL = Duration.ofHours(1);

    @Param({"memory", "redis"})
    public String store;

    private LocalRedis redis;
    private SessionStore sessions;
    private final SessionId[] ids = new SessionId[SESSIONS];
    private final byte[] session = new byte[200];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (store.equals("redis")) {
            redis = LocalRedis.start();
            sessions = SessionStores.fromSpec(redis.uri(), List.of(SealingKey.generate("bench"))).orElseThrow();
        } else {
            sessions = SessionStores.fromSpec("memory:100000", List.of()).orElseThrow();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        random.nextBytes(session);
        for (int i = 0; i < SESSIONS; i++) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            ids[i] = SessionId.of(id);
            sessions.put(ids[i], session, TTL);
        }
        if (sessions.get(ids[0]) == null) {
            throw new IllegalStateException("the " + store + " store lost a session it was just given");
        }
    }

    /** A hit: the session of a resuming client. */
    @Benchmark
    public byte[] get() {
        return sessions.get(ids[next++ & (SESSIONS - 1)]).orElse(null);
    }

    /** A new session after a full handshake (replacing an entry, so the store keeps its size). */
    @Benchmark
    public void put() {
        sessions.put(ids[next++ & (SESSIONS - 1)], session, TTL);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (sessions instanceof AutoCloseable closeable) {
            closeable.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
