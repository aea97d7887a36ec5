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

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss-sentinel://} against Debian's redis-server with TLS: a master and a sentinel that speak TLS only
 * (no plain port), the sentinel monitoring the master over TLS ({@code tls-replication yes}); the fleet and the
 * session store reach the master the sentinel names, over TLS, with the CA file; without it they are refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisSentinelTlsTest {
    private static final String EXECUTABLE = System.getProperty("ticketkeeper.redis-server", "/usr/bin/redis-server");
    private static final String PASSWORD = "tls-sentinel-pass";
    private static final SealingKey KEY = SealingKey.generate("k1");

    @TempDir
    Path directory;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("not listening on " + port + ": " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void theFleetAndTheStoreReachTheMasterTheSentinelNamesOverTls() throws Exception {
        LocalhostPem pem = LocalhostPem.create(directory, "redis");
        List<String> tls = List.of("tls-cert-file " + pem.certificate(), "tls-key-file " + pem.key(),
                "tls-ca-cert-file " + pem.certificate(), "tls-auth-clients no", "tls-replication yes");
        try (RedisServer master = RedisServer.startTls(pem.certificate(), pem.key(), "--requirepass", PASSWORD,
                "--tls-replication", "yes")) {
            int sentinelPort = freePort();
            Path conf = directory.resolve("sentinel.conf");
            Files.writeString(conf, String.join("\n", "port 0", "tls-port " + sentinelPort, "bind 127.0.0.1",
                    "daemonize no", "dir " + directory, String.join("\n", tls),
                    "sentinel monitor tlsmaster 127.0.0.1 " + master.port() + " 1",
                    "sentinel auth-pass tlsmaster " + PASSWORD, "requirepass " + PASSWORD, ""));
            Path log = directory.resolve("sentinel.log");
            Process sentinel = new ProcessBuilder(EXECUTABLE, conf.toString(), "--sentinel").redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try {
                awaitListening(sentinelPort, sentinel, log);
                String uri = "rediss-sentinel://:" + PASSWORD + "@127.0.0.1:" + sentinelPort + "#tlsmaster";
                try (FleetKeySource source = FleetKeySource.builder(uri, List.of(KEY))
                        .rotateEvery(Duration.ofSeconds(10)).maxTicketAge(Duration.ofSeconds(30))
                        .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2))
                        .trustedCertificates(pem.certificate()).build()) {
                    KeySourceHealth health = source.health();
                    assertEquals(KeySourceHealth.State.UP, health.state(), health.toString());
                    assertTrue(health.detail().contains("writes"), health.detail());
                    assertTrue(source.refresh(System.currentTimeMillis(), List.of()).size() >= 3);
                }
                // The keys are on the master, written over TLS through the sentinel's answer.
                String keys = RedisCli.run(master.port(), "--tls", "--cacert", pem.certificate().toString(),
                        "--no-auth-warning", "-a", PASSWORD, "KEYS", "ticketkeeper:fleet:key:*");
                assertTrue(keys.split("\n").length >= 3, keys);
                SessionId id = SessionId.of(new byte[] {1, 2, 3});
                byte[] session = {0x30, 0x03, 2, 1, 1};
                try (RedisSessionStore store = RedisSessionStore.builder(uri, List.of(KEY))
                        .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2))
                        .trustedCertificates(pem.certificate()).build()) {
                    store.put(id, session, Duration.ofSeconds(30));
                    assertArrayEquals(session, store.get(id).orElseThrow(), store.stats().toString());
                }
                String untrusted = assertThrows(IllegalStateException.class, () -> FleetKeySource.builder(uri,
                        List.of(KEY)).rotateEvery(Duration.ofSeconds(10)).maxTicketAge(Duration.ofSeconds(30))
                        .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2)).build()).getMessage();
                assertTrue(untrusted.contains("rediss-sentinel://") && !untrusted.contains(PASSWORD), untrusted);
                System.out.println("rediss-sentinel://, refused without the CA file: " + untrusted);
            } finally {
                sentinel.destroyForcibly();
                sentinel.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
