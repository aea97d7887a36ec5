package io.ticketkeeper.harness;

import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis session store's cost per handshake on loopback: p50 and p99 of {@code put} and {@code get} (sealing and
 * opening included) on one Redis, on Sentinel (a master, two replicas, three sentinels) and on a Cluster (three
 * masters with a replica each), one thread, sequential calls. Run:
 * {@code java -cp <harness and its dependencies> io.ticketkeeper.harness.SessionStoreLatency [calls]}. A
 * measurement to read, not a benchmark to compare against OpenSSL (that is bench/'s job).
 */
public final class SessionStoreLatency {
    private SessionStoreLatency() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Path.of("target", "redis-latency");
        try (RedisServer one = RedisServer.start()) {
            System.out.println("redis://         " + measure(one.uri(), calls));
        }
        try (RedisSentinel sentinel = RedisSentinel.start(dir, 2, 3)) {
            System.out.println("redis-sentinel:// " + measure(sentinel.uri(), calls));
        }
        try (RedisCluster cluster = RedisCluster.start(dir, 3, 1)) {
            System.out.println("redis-cluster:// " + measure(cluster.uri(), calls));
        }
    }

    private static String measure(String uri, int calls) {
        byte[] session = new byte[1200];
        ThreadLocalRandom.current().nextBytes(session);
        try (RedisSessionStore store = RedisSessionStore.builder(uri, List.of(SealingKey.generate("k")))
                .timeout(Duration.ofSeconds(1)).build()) {
            long[] puts = new long[calls];
            long[] gets = new long[calls];
            for (int i = 0; i < calls + 2000; i++) {
                SessionId id = SessionId.of(("latency-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                long start = System.nanoTime();
                store.put(id, session, Duration.ofMinutes(5));
                long put = System.nanoTime();
                store.get(id);
                long got = System.nanoTime();
                if (i >= 2000) { // after a warm-up
                    puts[i - 2000] = put - start;
                    gets[i - 2000] = got - put;
                }
            }
            return "put p50 " + micros(puts, 50) + " µs, p99 " + micros(puts, 99) + " µs; get p50 " + micros(gets, 50)
                    + " µs, p99 " + micros(gets, 99) + " µs (" + calls + " each, 1,200-byte sessions; " + store.stats()
                    + ")";
        }
    }

    private static long micros(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1000;
    }
}
