package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;
import io.ticketkeeper.harness.RedisServer;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve with {@code --session-cache memory} and {@code redis://…} (a real redis-server): probe with tickets off
 * ({@code -T}) resumes by session id; two serves sharing one Redis and one {@code --session-key-file} resume each
 * other's sessions (openssl s_client), and a serve with another key cannot open them.
 */
class ServeSessionCacheTest {
    @TempDir
    Path directory;

    private static HttpsResponder serve(ServerSettings.Builder settings, List<HandshakeEvent> events)
            throws Exception {
        return HttpsResponder.start(settings.versions(VersionRange.only(TlsVersion.TLS1_2)).build(), events::add);
    }

    private static void probeResumes(HttpsResponder responder) {
        CommandResult probe = CommandResult.run("probe", "127.0.0.1", String.valueOf(responder.port()), "-r", "2",
                "-T", "--tls1.2");
        assertEquals(0, probe.exitCode(), probe.out() + probe.err());
        assertTrue(probe.out().contains("2 of 2 reconnections reused"), probe.out());
    }

    /** Read once the server is closed: a connection's event is recorded after the client has its answer. */
    private static void assertResumedBySessionId(List<HandshakeEvent> events) {
        for (HandshakeEvent resumed : events.subList(1, 3)) {
            assertTrue(resumed.resumed(), resumed.logLine());
            assertNull(resumed.presentedKey(), "resumed by a ticket: " + resumed.logLine());
            assertTrue(resumed.logLine().contains("by-session-id"), resumed.logLine());
        }
    }

    @Test
    void memoryResumesBySessionId() throws Exception {
        List<HandshakeEvent> events = new HandshakeLog();
        try (HttpsResponder responder = serve(ServerSettings.builder().sessionCache(SessionCache.parse("memory:100")),
                events)) {
            probeResumes(responder);
            assertEquals(2, responder.handle().sessionCacheStats().orElseThrow().hits(), responder.summary());
        }
        assertResumedBySessionId(events);
    }

    /**
     * The first server makes the sessions and is gone before the second one resumes one: the session lives in
     * Redis, sealed by the key both servers read from one file.
     */
    @Test
    void redisResumesBySessionIdAcrossServersThatShareTheSessionKey() throws Exception {
        Path sessionKey = directory.resolve("session.key");
        assertEquals(0, CommandResult.run("keygen", "--format", "session", sessionKey.toString()).exitCode());
        Path session = directory.resolve("session.pem");
        List<HandshakeEvent> firstEvents = new HandshakeLog();
        try (RedisServer redis = RedisServer.start()) {
            ServerSettings.Builder shared = ServerSettings.builder().sessionCache(SessionCache.parse(redis.uri()))
                    .sessionKeyFiles(List.of(sessionKey));
            ServerSettings.Builder unshared = ServerSettings.builder().sessionCache(SessionCache.parse(redis.uri()));
            assertTrue(ServeCommand.warnings(unshared.build()).get(0).contains("need a shared key"));
            assertEquals(List.of(), ServeCommand.warnings(shared.build()));
            try (HttpsResponder first = serve(shared, firstEvents)) {
                probeResumes(first);
                SClient.connect(first.port(), TlsVersion.TLS1_2, null, session, "-no_ticket");
            }
            assertResumedBySessionId(firstEvents);
            List<HandshakeEvent> others = new HandshakeLog();
            try (HttpsResponder second = serve(shared, others); HttpsResponder stranger = serve(unshared, others)) {
                String onSecond = SClient.connect(second.port(), TlsVersion.TLS1_2, session, null, "-no_ticket");
                assertTrue(SClient.reused(onSecond, TlsVersion.TLS1_2), "not resumed on the second server: "
                        + onSecond + "\n" + second.summary());
                String onStranger = SClient.connect(stranger.port(), TlsVersion.TLS1_2, session, null, "-no_ticket");
                assertFalse(SClient.reused(onStranger, TlsVersion.TLS1_2), "opened without the key: " + onStranger);
                assertEquals(1, second.handle().sessionCacheStats().orElseThrow().hits(), second.summary());
            }
        }
    }
}
