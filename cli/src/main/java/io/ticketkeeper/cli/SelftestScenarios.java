package io.ticketkeeper.cli;

import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.Rfc5077Scenarios;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext.ClientCertificate;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The six scenarios of the RFC 5077 test plan written for nginx, each through {@code serve} (an
 * {@link HttpsResponder} in this process, on an ephemeral loopback port) and {@code probe} (a {@link Probe} over a
 * real socket). The server runs on a manual clock with the plan's times (timeout 10 s, renewal from 5 s); where a
 * scenario needs time to pass, the probe's pause between connections moves that clock instead of sleeping.
 */
final class SelftestScenarios {
    private static final Duration TIMEOUT = Rfc5077Scenarios.TIMEOUT;
    private static final Duration RENEW_AFTER = Rfc5077Scenarios.RENEW_AFTER;

    /** One scenario's outcome: {@code detail} says what was seen. */
    record Check(String name, boolean passed, String detail) {
    }

    private final TlsVersion version;

    SelftestScenarios(TlsVersion version) {
        this.version = version;
    }

    /** Runs the six scenarios, telling {@code progress} of each check as it ends. */
    List<Check> run(Consumer<Check> progress) {
        List<Check> checks = new ArrayList<>();
        Consumer<Check> each = check -> {
            checks.add(check);
            progress.accept(check);
        };
        each.accept(guarded("(1) session ids resume with tickets disabled", this::sessionIdsWithoutTickets));
        each.accept(guarded("(2) a ticket resumes, and resumes again when presented again", this::ticketReused));
        each.accept(guarded("(3) offered a session id and a ticket, the server resumes by the ticket",
                this::ticketBeatsSessionId));
        each.accept(guarded("(4) a ticket past its timeout gives a full handshake and a new ticket",
                this::expiredTicket));
        each.accept(guarded("(5) in the renew window the ticket is renewed, the renewed one resumes, and the "
                + "session ends at its timeout", this::renewWindow));
        each.accept(guarded("(6) with a client certificate the session resumes and the certificate stays",
                this::clientCertificate));
        return checks;
    }

    private interface Scenario {
        String run() throws Exception;
    }

    private Check guarded(String name, Scenario scenario) {
        String label = name + " [" + version + ", serve+probe]";
        try {
            return new Check(label, true, scenario.run());
        } catch (AssertionError | Exception e) {
            return new Check(label, false, String.valueOf(e.getMessage()));
        }
    }

    /** What one run of serve and probe saw: the probe's connections, the server's events and counters. */
    private record Run(List<ProbeConnection> connections, List<HandshakeEvent> events, TicketStats stats) {
        ProbeConnection connection(int number) {
            return connections.get(number - 1);
        }
    }

    private Run serveAndProbe(ServerSettings.Builder server, ProbeSettings.Builder probe, Probe.Pause pause)
            throws IOException, InterruptedException {
        List<HandshakeEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
        HttpsResponder responder = HttpsResponder.start(server.versions(VersionRange.only(version)).build(), events::add);
        List<ProbeConnection> connections;
        try {
            ProbeSettings aimed = probe.port(responder.port()).versions(VersionRange.only(version)).build();
            connections = new Probe(aimed, pause, connection -> { }).run();
        } finally {
            responder.close(); // waits for the server's connections, so its events and counters are complete
        }
        for (ProbeConnection connection : connections) {
            expect(!connection.failed(), "connection " + connection.number() + " failed: " + connection.error());
        }
        return new Run(connections, List.copyOf(events), responder.handle().stats());
    }

    private static ProbeSettings.Builder probe(int reconnections) {
        return ProbeSettings.builder("127.0.0.1").reconnections(reconnections);
    }

    private static Probe.Pause none() {
        return (connection, delay) -> { };
    }

    private String sessionIdsWithoutTickets() throws Exception {
        Run run = serveAndProbe(ServerSettings.builder().tickets(false).sessionCache(SessionCache.OPENSSL),
                probe(1).tickets(false), none());
        expect(!run.connection(1).reused(), "the first connection resumed");
        expect(run.connection(2).reused(), "the session id did not resume");
        expect(version == TlsVersion.TLS1_3 || run.connection(1).ticket().length == 0, "a TLS 1.2 ticket was issued");
        expect(run.stats().sealed() == 0, "TicketKeeper sealed tickets: " + run.stats());
        return "resumed by session id " + run.connection(1).sessionIdShort() + ", no ticket sealed";
    }

    private String ticketReused() throws Exception {
        Run run = serveAndProbe(ServerSettings.builder(), probe(2).offerFirst(true), none());
        expect(run.connection(1).ticket().length > 0, "no ticket was issued");
        expect(run.connection(2).reused(), "the ticket did not resume");
        expect(run.connection(3).reused(), "the same ticket did not resume a second time");
        expect(run.stats().resumed() == 2, "resumptions counted: " + run.stats());
        return "ticket " + run.connection(1).ticketShort() + " resumed twice";
    }

    private String ticketBeatsSessionId() throws Exception {
        Run run = serveAndProbe(ServerSettings.builder().sessionCache(SessionCache.OPENSSL), probe(1), none());
        ProbeConnection first = run.connection(1);
        expect(first.ticket().length > 0, "no ticket was issued");
        expect(version == TlsVersion.TLS1_3 || first.sessionId().length > 0, "the TLS 1.2 session has no id");
        expect(run.connection(2).reused(), "the session did not resume");
        expect(run.stats().resumed() == 1, "the ticket callback did not decide the resumption: " + run.stats());
        return "offered id " + first.sessionIdShort() + " and ticket " + first.ticketShort() + "; the ticket resumed";
    }

    private String expiredTicket() throws Exception {
        ManualClock clock = new ManualClock();
        Duration wait = TIMEOUT.plusSeconds(1);
        Run run = serveAndProbe(agedServer(clock), probe(1), (connection, delay) -> clock.advance(wait));
        ProbeConnection second = run.connection(2);
        expect(!second.reused(), "a ticket past its timeout resumed");
        expect(second.ticket().length > 0 && second.ticketChanged(), "no new ticket was issued");
        expect(run.stats().rejectedByPolicy() == 1, "the expiry was not counted: " + run.stats());
        return "after " + wait.toSeconds() + " s: full handshake, new ticket " + second.ticketShort();
    }

    /**
     * A renewed ticket carries its session's first issue time: it resumes while the session is younger than the
     * timeout, and the session ends at the timeout however often it was renewed (connection 4 is a full
     * handshake).
     */
    private String renewWindow() throws Exception {
        ManualClock clock = new ManualClock();
        Duration inWindow = RENEW_AFTER.plusSeconds(1);
        Duration later = TIMEOUT.minus(inWindow).minusSeconds(2);
        Duration[] pauses = {inWindow, later, Duration.ofSeconds(3)};
        Run run = serveAndProbe(agedServer(clock), probe(3),
                (connection, delay) -> clock.advance(pauses[connection - 2]));
        ProbeConnection renewed = run.connection(2);
        expect(renewed.reused(), "a ticket in the renew window did not resume");
        expect(renewed.ticketChanged(), "the ticket was not renewed");
        long resumedAt = inWindow.plus(later).toSeconds();
        expect(run.connection(3).reused(), "the renewed ticket did not resume " + resumedAt
                + " s after the first one was issued");
        expect(run.stats().renewed() >= 2, "renewals counted: " + run.stats());
        expect(!run.connection(4).reused(), "a renewed ticket resumed past its session's timeout");
        return "renewed " + run.connection(1).ticketShort() + " -> " + renewed.ticketShort() + ", which resumed "
                + resumedAt + " s after the first ticket; ended at " + TIMEOUT.toSeconds() + " s";
    }

    private String clientCertificate() throws Exception {
        Path directory = Files.createTempDirectory("ticketkeeper-selftest");
        Path certificateFile = directory.resolve("client.pem");
        Path keyFile = directory.resolve("client.key");
        try (SelfSignedCertificate client = SelfSignedCertificate.create("ticketkeeper-client")) {
            client.writePem(certificateFile, keyFile);
            Run run = serveAndProbe(ServerSettings.builder().clientCertificate(ClientCertificate.REQUIRE),
                    probe(1).certificateFiles(certificateFile, keyFile), none());
            byte[] expected = client.sha256();
            expect(run.events().size() == 2, "the server saw " + run.events().size() + " connections");
            for (HandshakeEvent event : run.events()) {
                expect(Arrays.equals(event.clientCertificateSha256(), expected), "connection " + event.number()
                        + (event.resumed() ? " (resumed)" : "") + " lacks the client certificate");
            }
            expect(run.connection(2).reused(), "the session with a client certificate did not resume");
            expect(run.stats().resumed() == 1, "resumptions counted: " + run.stats());
            return "resumed; peer certificate " + HexFormat.of().formatHex(expected, 0, 8) + "… still present";
        } finally {
            Files.deleteIfExists(certificateFile);
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(directory);
        }
    }

    private static ServerSettings.Builder agedServer(ManualClock clock) {
        return ServerSettings.builder().clock(clock).ticketAges(TIMEOUT, RENEW_AFTER);
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
