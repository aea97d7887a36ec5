package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** probe's flags and serve's key ring, each through a real serve and a real probe on loopback. */
class ServeAndProbeTest {
    private final HandshakeLog events = new HandshakeLog();

    @TempDir
    Path directory;

    private HttpsResponder serve(ServerSettings.Builder settings) throws Exception {
        return HttpsResponder.start(settings.build(), events::add);
    }

    private static CommandResult probe(HttpsResponder responder, String... flags) {
        List<String> args = new ArrayList<>(List.of("probe", "127.0.0.1", String.valueOf(responder.port())));
        args.addAll(List.of(flags));
        return CommandResult.run(args.toArray(String[]::new));
    }

    @Test
    void jsonForMachines() throws Exception {
        try (HttpsResponder responder = serve(ServerSettings.builder())) {
            CommandResult result = probe(responder, "-r", "2", "--tls1.3", "--json");
            assertEquals(0, result.exitCode(), result.out() + result.err());
            String json = result.out().strip();
            assertTrue(json.startsWith("{") && json.endsWith("}") && json.lines().count() == 1, json);
            assertTrue(json.contains("\"reconnections\":2,\"reused\":2,\"renewed\":2"), json);
            assertTrue(json.contains("\"version\":\"TLSv1.3\""), json);
        }
    }

    @Test
    void nothingResumedExitsOne() throws Exception {
        try (HttpsResponder responder = serve(ServerSettings.builder().tickets(false))) {
            CommandResult result = probe(responder, "-r", "2", "--tls1.2");
            assertEquals(1, result.exitCode(), result.out());
            assertTrue(result.out().contains("0 of 2 reconnections reused"), result.out());
        }
    }

    /** -S hides the session id from a server that caches sessions: only the ticket resumes, and without -T. */
    @Test
    void sessionIdsOffLeavesOnlyTheTicket() throws Exception {
        try (HttpsResponder responder = serve(ServerSettings.builder().sessionCache(SessionCache.OPENSSL)
                .versions(VersionRange.only(TlsVersion.TLS1_2)))) {
            CommandResult ticketOnly = probe(responder, "-r", "1", "-S");
            assertEquals(0, ticketOnly.exitCode(), ticketOnly.out() + ticketOnly.err());
            CommandResult neither = probe(responder, "-r", "1", "-S", "-T");
            assertEquals(1, neither.exitCode(), neither.out() + neither.err());
            CommandResult idOnly = probe(responder, "-r", "1", "-T");
            assertEquals(0, idOnly.exitCode(), idOnly.out() + idOnly.err());
        }
        assertNotNull(events.get(1).presentedKey(), "-S: not resumed by the ticket: " + events.get(1).logLine());
        assertFalse(events.get(3).resumed(), events.get(3).logLine());
        assertTrue(events.get(5).resumed(), events.get(5).logLine());
        assertNull(events.get(5).presentedKey(), "-T: a ticket was presented: " + events.get(5).logLine());
    }

    /**
     * A rotated-out key keeps decrypting (and renewing) until tickets it sealed are past the maximum age, then is
     * dropped and its tickets give full handshakes. serve rotates every 5 s by a manual clock, moved between
     * connections; the probe offers its first ticket each time.
     */
    @Test
    void rotatedKeysDecryptUntilMaxAgeThenGo() throws Exception {
        ManualClock clock = new ManualClock();
        Duration period = Duration.ofSeconds(5);
        Duration maxAge = Duration.ofSeconds(10);
        try (HttpsResponder responder = serve(ServerSettings.builder().clock(clock).rotateEvery(period)
                .ticketAges(maxAge, maxAge).versions(VersionRange.only(TlsVersion.TLS1_2)))) {
            ProbeSettings settings = ProbeSettings.builder("127.0.0.1").port(responder.port()).reconnections(2)
                    .offerFirst(true).build();
            List<Duration> advances = List.of(period, maxAge.plusSeconds(1));
            int[] step = {0};
            List<ProbeConnection> connections = new Probe(settings, (connection, delay) -> {
                clock.advance(advances.get(step[0]++));
                responder.handle().refreshKeys();
            }, connection -> { }).run();
            assertTrue(connections.get(1).reused() && connections.get(1).ticketChanged(),
                    "a ticket under the rotated-out key did not resume renewed");
            assertFalse(connections.get(2).reused(), "a ticket under a dropped key resumed");
        }
        assertEquals("unknown", events.get(2).presentedKey(), events.get(2).logLine());
    }

    @Test
    void serveUsesPemCertificateFiles() throws Exception {
        Path certificateFile = directory.resolve("server.pem");
        Path keyFile = directory.resolve("server.key");
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost")) {
            certificate.writePem(certificateFile, keyFile);
        }
        try (HttpsResponder responder = serve(ServerSettings.builder().certificateFiles(certificateFile, keyFile))) {
            CommandResult result = probe(responder, "-r", "1");
            assertEquals(0, result.exitCode(), result.out() + result.err());
        }
    }
}
