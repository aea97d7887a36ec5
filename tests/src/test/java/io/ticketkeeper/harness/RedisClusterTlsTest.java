package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss-cluster://} against Debian's redis-server with TLS: three masters that speak TLS only (no plain
 * port; the cluster bus over TLS too); the fleet and the session store reach them over TLS with the CA file, the
 * store's entries spread over every master; without the CA file both are refused, for the certificate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterTlsTest {
    private static final SealingKey KEY = SealingKey.generate("k1");

    @TempDir
    Path directory;

    @Test
    void theFleetAndTheStoreReachATlsOnlyClusterWithTheCaFile() throws Exception {
        LocalhostPem pem = LocalhostPem.create(directory, "redis");
        long start = System.nanoTime();
        try (RedisCluster cluster = RedisCluster.startTls(Path.of("target", "redis-ha"), 3, 0, pem.certificate(),
                pem.key())) {
            long startedMillis = (System.nanoTime() - start) / 1_000_000;
            String uri = cluster.uri();
            assertTrue(uri.startsWith("rediss-cluster://"), uri);
            // No replicas here: a made key is not waited for on a replica.
            try (FleetKeySource source = FleetKeySource.builder(uri, List.of(KEY))
                    .rotateEvery(Duration.ofSeconds(10)).maxTicketAge(Duration.ofSeconds(30))
                    .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2)).replicaAcks(0, Duration.ZERO)
                    .trustedCertificates(pem.certificate()).build()) {
                KeySourceHealth health = source.health();
                assertEquals(KeySourceHealth.State.UP, health.state(), health.toString());
                assertTrue(source.refresh(System.currentTimeMillis(), List.of()).size() >= 3);
            }
            // The fleet's keys are on the master of their slot, written over TLS.
            int slot = cluster.slot("{ticketkeeper:fleet:}key:1");
            RedisServer master = cluster.masterOf(slot);
            String keys = RedisCli.run(master.port(), "--tls", "--cacert", pem.certificate().toString(), "KEYS",
                    "{ticketkeeper:fleet:}key:*");
            assertTrue(keys.split("\n").length >= 3, keys);

            int count = 30;
            try (RedisSessionStore store = RedisSessionStore.builder(uri, List.of(KEY))
                    .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2))
                    .trustedCertificates(pem.certificate()).build()) {
                for (int i = 0; i < count; i++) {
                    store.put(id(i), session(i), Duration.ofSeconds(60));
                }
                for (int i = 0; i < count; i++) {
                    assertArrayEquals(session(i), store.get(id(i)).orElseThrow(), store.stats().toString());
                }
            }
            Set<Integer> holding = new HashSet<>();
            for (RedisServer node : cluster.nodes()) {
                String size = RedisCli.run(node.port(), "--tls", "--cacert", pem.certificate().toString(), "DBSIZE");
                if (Integer.parseInt(size.strip()) > 0) {
                    holding.add(node.port());
                }
            }
            assertEquals(3, holding.size(), "entries on every master");

            String fleetRefused = assertThrows(IllegalStateException.class, () -> FleetKeySource.builder(uri,
                    List.of(KEY)).rotateEvery(Duration.ofSeconds(10)).maxTicketAge(Duration.ofSeconds(30))
                    .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2)).build()).getMessage();
            String storeRefused = assertThrows(IllegalStateException.class, () -> RedisSessionStore.builder(uri,
                    List.of(KEY)).timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2)).build())
                    .getMessage();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("rediss-cluster:// (3 TLS-only masters, started in " + startedMillis + " ms, test "
                    + tookMillis + " ms); refused without the CA file: fleet: " + fleetRefused + " | store: "
                    + storeRefused);
            for (String refused : List.of(fleetRefused, storeRefused)) {
                assertTrue(refused.contains("rediss-cluster://"), refused);
                assertTrue(refused.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(certificat|pkix).*"),
                        "the TLS reason: " + refused);
            }
        }
    }

    private static SessionId id(int i) {
        return SessionId.of(new byte[] {7, (byte) i, (byte) (i >> 8)});
    }

    private static byte[] session(int i) {
        return ("session " + i).getBytes(StandardCharsets.UTF_8);
    }
}
