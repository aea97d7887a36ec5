package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.harness.LocalhostPem;
import io.ticketkeeper.harness.RedisServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve's Redis flags reach the fleet key source and the session cache alike: one redis-server speaking TLS only,
 * with the default user off and an ACL user limited to TicketKeeper's keys and channels.
 */
class ServeRedisAccessTest {
    @TempDir
    Path directory;

    @Test
    void anAclUserOverTlsServesTheFleetKeysAndTheSessionCache() throws Exception {
        LocalhostPem certificate = LocalhostPem.create(directory, "redis");
        Path password = Files.writeString(directory.resolve("redis.password"), "s3cret in a file\n");
        Path fleetKey = directory.resolve("fleet.key");
        Path sessionKey = directory.resolve("session.key");
        assertEquals(0, CommandResult.run("keygen", "--format", "fleet", fleetKey.toString()).exitCode());
        assertEquals(0, CommandResult.run("keygen", "--format", "session", sessionKey.toString()).exitCode());
        try (RedisServer redis = RedisServer.startTls(certificate.certificate(), certificate.key(), "--user",
                "default", "off", "--user", "serve", "on", ">s3cret in a file", "~ticketkeeper:*", "&ticketkeeper:*",
                "+@all", "-@dangerous", "-@admin")) {
            ServerSettings settings = ServerSettings.builder()
                    .fleet(redis.uri(), List.of(fleetKey))
                    .rotateEvery(Duration.ofSeconds(10))
                    .ticketAges(Duration.ofSeconds(60), Duration.ofSeconds(30))
                    .sessionCache(SessionCache.parse(redis.uri()))
                    .sessionKeyFiles(List.of(sessionKey))
                    .redis(new RedisOptions("serve", password, certificate.certificate()))
                    .build();
            try (HttpsResponder responder = HttpsResponder.start(settings, event -> { })) {
                KeySourceHealth health = responder.handle().keyRingStats().source();
                assertEquals(KeySourceHealth.State.UP, health.state(), health.toString());
                assertTrue(health.detail().startsWith("rediss://localhost:" + redis.port() + " as serve, writes"),
                        health.detail());
                assertTrue(responder.handle().keys().size() >= 3, responder.handle().keys()::toString);
                CommandResult probe = CommandResult.run("probe", "127.0.0.1", String.valueOf(responder.port()), "-r",
                        "1", "-T", "--tls1.2");
                assertTrue(probe.out().contains("1 of 1 reconnections reused"), probe.out() + probe.err());
                assertEquals(1, responder.handle().sessionCacheStats().orElseThrow().hits(), responder.summary());
            }
            LocalhostPem other = LocalhostPem.create(directory, "other");
            String wrongCa = assertOneLineError(settings(redis, fleetKey, password, other.certificate()));
            assertTrue(wrongCa.contains("TLS handshake failed"), wrongCa);
        }
    }

    /** The same settings with {@code ca} as the CA file. */
    private static ServerSettings settings(RedisServer redis, Path fleetKey, Path password, Path ca) {
        return ServerSettings.builder().fleet(redis.uri(), List.of(fleetKey)).rotateEvery(Duration.ofSeconds(10))
                .ticketAges(Duration.ofSeconds(60), Duration.ofSeconds(30))
                .redis(new RedisOptions("serve", password, ca)).build();
    }

    private static String assertOneLineError(ServerSettings settings) {
        try (HttpsResponder responder = HttpsResponder.start(settings, event -> { })) {
            throw new AssertionError("serve started with a CA that is not Redis's: " + responder.summary());
        } catch (RuntimeException | java.io.IOException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
