package io.ticketkeeper.harness;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.ScheduledKey;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.SocketHandshake;
import io.ticketkeeper.endpoints.TlsVersion;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lifetime the client is told (TLS 1.2 lifetime hint, TLS 1.3 ticket_lifetime) never exceeds the session
 * timeout, the policy's maximum age, or the remaining open life of the sealing key: read by OpenSSL's client
 * ({@code SSL_SESSION_get_ticket_lifetime_hint}) and by {@code openssl s_client -sess_out}.
 */
class LifetimeHintTest {
    private static final Pattern HINT = Pattern.compile("TLS session ticket lifetime hint: (\\d+) \\(seconds\\)");
    private static SelfSignedCertificate certificate;

    @TempDir
    Path directory;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("hint");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    private static TicketKeeperHandle install(ServerContext server, ManualClock clock, Duration maxAge) {
        return TicketKeeper.install(server.address(), TicketKeeperOptions.builder().clock(clock)
                .policy(DefaultTicketPolicy.builder().maxAge(maxAge).renewAfter(Duration.ZERO).build())
                .keys(List.of()).build());
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void theHintIsTheSmallestOfTimeoutMaxAgeAndKeyLife(TlsVersion version) {
        ManualClock clock = new ManualClock();
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(server, clock, Duration.ofHours(12))) {
            long timeout = SSL.SSL_CTX_get_timeout(server.address());
            TicketKey key = TicketKey.generate();
            handle.setSchedule(List.of(ScheduledKey.of(key, clock.instant(), clock.instant().plusSeconds(50),
                    clock.instant().plusSeconds(100))));
            assertHint(100, server, client, "the key's remaining open life");
            clock.advance(Duration.ofSeconds(30));
            assertHint(70, server, client, "30 s later");
            clock.advance(Duration.ofMillis(19_500));
            assertHint(50, server, client, "whole seconds, rounded down");

            handle.setKeys(TicketKey.generate());
            assertHint(timeout, server, client, "a key without end: the context's session timeout");
        }
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(server, new ManualClock(), Duration.ofSeconds(60))) {
            handle.setKeys(TicketKey.generate());
            assertHint(60, server, client, "the policy's maximum age");
        }
    }

    /**
     * A renewed ticket: TLS 1.3 states its lifetime like any other; OpenSSL sends TLS 1.2 renewals with hint 0
     * ("unspecified", RFC 5077 3.3) whatever the session timeout, so there is nothing to exceed.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aRenewedTicketsHint(TlsVersion version) {
        ManualClock clock = new ManualClock();
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(server, clock, Duration.ofHours(12))) {
            TicketKey old = TicketKey.generate();
            handle.setSchedule(List.of(
                    ScheduledKey.of(old, clock.instant(), clock.instant().plusSeconds(10),
                            clock.instant().plusSeconds(400)),
                    ScheduledKey.of(TicketKey.generate(), clock.instant().plusSeconds(10),
                            clock.instant().plusSeconds(400), clock.instant().plusSeconds(400))));
            try (HandshakeResult first = MemoryHandshake.run(server, client, null)) {
                clock.advance(Duration.ofSeconds(100));
                try (HandshakeResult renewed = MemoryHandshake.run(server, client, first.session())) {
                    assertTrue(renewed.resumed() && renewed.hasTicket()
                            && !renewed.session().sameTicketAs(first.session()), renewed::toString);
                    assertEquals(version == TlsVersion.TLS1_3 ? 300 : 0, renewed.session().lifetimeHint());
                }
            }
        }
    }

    private static void assertHint(long expected, ServerContext server, ClientContext client, String why) {
        try (HandshakeResult result = MemoryHandshake.run(server, client, null)) {
            assertTrue(result.hasTicket(), result::toString);
            assertEquals(expected, result.session().lifetimeHint(), why);
        }
    }

    /** {@code openssl s_client} receives the hint over a real socket and prints it in its saved session. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void opensslSClientReceivesTheHint(TlsVersion version) throws Exception {
        ManualClock clock = new ManualClock();
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                TicketKeeperHandle handle = install(server, clock, Duration.ofHours(12));
                ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            handle.setSchedule(List.of(ScheduledKey.of(TicketKey.generate(), clock.instant(),
                    clock.instant().plusSeconds(60), clock.instant().plusSeconds(321))));
            var served = SocketHandshake.acceptOne(listener, server);
            Path session = directory.resolve("session-" + version + ".pem");
            String flag = version == TlsVersion.TLS1_2 ? "-tls1_2" : "-tls1_3";
            String output = run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + listener.getLocalPort(),
                    flag, "-ign_eof", "-sess_out", session.toString()));
            served.get(20, TimeUnit.SECONDS);
            String text = run(List.of("openssl", "sess_id", "-in", session.toString(), "-noout", "-text"));
            Matcher hint = HINT.matcher(text);
            assertTrue(hint.find(), () -> "no hint in the saved session:\n" + text + "\ns_client:\n" + output);
            assertEquals("321", hint.group(1), text);
        }
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Files.createFile(directory.resolve("empty-" + System.nanoTime())).toFile()))
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, process.exitValue(), () -> command + " failed:\n" + output);
        return output;
    }
}
