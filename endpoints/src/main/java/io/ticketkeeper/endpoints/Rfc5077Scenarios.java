package io.ticketkeeper.endpoints;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The six scenarios of the RFC 5077 test plan written for nginx, against a server with TicketKeeper
 * installed, short times (ticket timeout 10 s, renewal from 5 s) and an injected clock. The JUnit tests assert
 * every check; {@code ticketkeeper selftest} prints them.
 */
public final class Rfc5077Scenarios {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final Duration RENEW_AFTER = Duration.ofSeconds(5);

    /** One scenario's outcome: {@code detail} says what was seen. */
    public record Check(String name, boolean passed, String detail) {
    }

    private final TlsVersion version;
    private final Transport transport;

    public Rfc5077Scenarios(TlsVersion version, Transport transport) {
        this.version = version;
        this.transport = transport;
    }

    public List<Check> run() {
        List<Check> checks = new ArrayList<>();
        try (SelfSignedCertificate serverCertificate = SelfSignedCertificate.create("ticketkeeper-server");
                SelfSignedCertificate clientCertificate = SelfSignedCertificate.create("ticketkeeper-client")) {
            checks.add(guarded("(1) session ids resume with tickets disabled",
                    () -> sessionIdsWithoutTickets(serverCertificate)));
            checks.add(guarded("(2) a ticket resumes, and resumes again when presented again",
                    () -> ticketReused(serverCertificate)));
            checks.add(guarded("(3) offered a session id and a ticket, the server resumes by the ticket",
                    () -> ticketBeatsSessionId(serverCertificate)));
            checks.add(guarded("(4) a ticket past its timeout gives a full handshake and a new ticket",
                    () -> expiredTicket(serverCertificate)));
            checks.add(guarded("(5) in the renew window the ticket is renewed, the renewed one resumes, and the "
                    + "session ends at its timeout", () -> renewWindow(serverCertificate)));
            checks.add(guarded("(6) with a client certificate the session resumes and the certificate stays",
                    () -> clientCertificate(serverCertificate, clientCertificate)));
        }
        return checks;
    }

    private interface Scenario {
        String run() throws Exception;
    }

    /** A scenario passes when it returns what it saw; an exception or failed expectation fails it. */
    private Check guarded(String name, Scenario scenario) {
        String label = name + " [" + version + ", " + transport.name().toLowerCase() + "]";
        try {
            return new Check(label, true, scenario.run());
        } catch (AssertionError | Exception e) {
            return new Check(label, false, String.valueOf(e.getMessage()));
        }
    }

    private TicketKeeperHandle install(ServerContext server, ManualClock clock) {
        return TicketKeeper.install(server.address(), TicketKeeperOptions.builder()
                .clock(clock)
                .policy(TicketPolicy.defaults(TIMEOUT, RENEW_AFTER))
                .build());
    }

    private String sessionIdsWithoutTickets(SelfSignedCertificate certificate) {
        try (ServerContext server = ServerContext.builder(version, certificate).tickets(false).sessionCache(true)
                .build();
                TicketKeeperHandle handle = install(server, new ManualClock());
                ClientContext client = new ClientContext(version, certificate);
                HandshakeResult first = handshake(server, client, null);
                HandshakeResult second = handshake(server, client, first.session())) {
            expect(!first.resumed(), "the first handshake resumed");
            expect(second.resumed(), "the session id did not resume");
            expect(version == TlsVersion.TLS1_3 || !first.hasTicket(), "a TLS 1.2 ticket was issued");
            expect(handle.stats().sealed() == 0, "TicketKeeper sealed tickets: " + handle.stats());
            return "resumed by session id " + hexPrefix(first.session().id()) + ", no ticket sealed";
        }
    }

    private String ticketReused(SelfSignedCertificate certificate) {
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                TicketKeeperHandle handle = install(server, new ManualClock());
                ClientContext client = new ClientContext(version, certificate);
                HandshakeResult first = handshake(server, client, null);
                HandshakeResult second = handshake(server, client, first.session());
                HandshakeResult third = handshake(server, client, first.session())) {
            expect(first.hasTicket(), "no ticket was issued");
            expect(second.resumed(), "the ticket did not resume");
            expect(third.resumed(), "the same ticket did not resume a second time");
            expect(handle.stats().resumed() == 2, "resumptions counted: " + handle.stats());
            return "ticket " + first.session().ticketSuffix() + " resumed twice";
        }
    }

    private String ticketBeatsSessionId(SelfSignedCertificate certificate) {
        try (ServerContext server = ServerContext.builder(version, certificate).sessionCache(true).build();
                TicketKeeperHandle handle = install(server, new ManualClock());
                ClientContext client = new ClientContext(version, certificate);
                HandshakeResult first = handshake(server, client, null);
                HandshakeResult second = handshake(server, client, first.session())) {
            expect(first.hasTicket(), "no ticket was issued");
            expect(version == TlsVersion.TLS1_3 || first.session().id().length > 0,
                    "the TLS 1.2 session offers no session id");
            expect(second.resumed(), "the session did not resume");
            expect(handle.stats().resumed() == 1, "the ticket callback did not decide the resumption: "
                    + handle.stats());
            return "offered id " + hexPrefix(first.session().id()) + " and ticket "
                    + first.session().ticketSuffix() + "; the ticket resumed";
        }
    }

    private String expiredTicket(SelfSignedCertificate certificate) {
        ManualClock clock = new ManualClock();
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                TicketKeeperHandle handle = install(server, clock);
                ClientContext client = new ClientContext(version, certificate);
                HandshakeResult first = handshake(server, client, null)) {
            clock.advance(TIMEOUT.plusSeconds(1));
            try (HandshakeResult second = handshake(server, client, first.session())) {
                expect(!second.resumed(), "a ticket past its timeout resumed");
                expect(second.hasTicket() && !second.session().sameTicketAs(first.session()),
                        "no new ticket was issued");
                TicketStats stats = handle.stats();
                expect(stats.rejectedByPolicy() == 1, "the expiry was not counted: " + stats);
                return "after " + TIMEOUT.plusSeconds(1).toSeconds() + " s: full handshake, new ticket "
                        + second.session().ticketSuffix();
            }
        }
    }

    /**
     * A renewed ticket carries its session's first issue time (the renewal re-seals the same session): it resumes
     * while the session is younger than the timeout, and the session ends at the timeout however often it was
     * renewed.
     */
    private String renewWindow(SelfSignedCertificate certificate) {
        ManualClock clock = new ManualClock();
        Duration inWindow = RENEW_AFTER.plusSeconds(1);
        Duration later = TIMEOUT.minus(inWindow).minusSeconds(2);
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                TicketKeeperHandle handle = install(server, clock);
                ClientContext client = new ClientContext(version, certificate);
                HandshakeResult first = handshake(server, client, null)) {
            clock.advance(inWindow);
            try (HandshakeResult renewed = handshake(server, client, first.session())) {
                expect(renewed.resumed(), "a ticket in the renew window did not resume");
                expect(renewed.hasTicket() && !renewed.session().sameTicketAs(first.session()),
                        "the ticket was not renewed");
                clock.advance(later);
                try (HandshakeResult again = handshake(server, client, renewed.session())) {
                    expect(again.resumed(), "the renewed ticket did not resume");
                    expect(handle.stats().renewed() >= 2, "renewals counted: " + handle.stats());
                    clock.advance(Duration.ofSeconds(3));
                    try (HandshakeResult ended = handshake(server, client, again.session());
                            HandshakeResult stale = handshake(server, client, first.session())) {
                        expect(!ended.resumed(), "a renewed ticket resumed past its session's timeout");
                        expect(!stale.resumed(), "the original ticket resumed past its timeout");
                        return "renewed " + first.session().ticketSuffix() + " -> "
                                + renewed.session().ticketSuffix() + ", which resumed "
                                + inWindow.plus(later).toSeconds() + " s after the first ticket; ended at "
                                + TIMEOUT.toSeconds() + " s";
                    }
                }
            }
        }
    }

    private String clientCertificate(SelfSignedCertificate serverCertificate, SelfSignedCertificate clientCertificate) {
        try (ServerContext server = ServerContext.builder(version, serverCertificate)
                .requireClientCertificate(clientCertificate).build();
                TicketKeeperHandle handle = install(server, new ManualClock());
                ClientContext client = new ClientContext(version, serverCertificate, clientCertificate);
                HandshakeResult first = handshake(server, client, null);
                HandshakeResult second = handshake(server, client, first.session())) {
            byte[] expected = clientCertificate.sha256();
            expect(Arrays.equals(first.serverPeerCertificateSha256(), expected),
                    "the server did not see the client certificate");
            expect(second.resumed(), "the session with a client certificate did not resume");
            expect(Arrays.equals(second.serverPeerCertificateSha256(), expected),
                    "the client certificate is gone after resumption");
            expect(handle.stats().resumed() == 1, "resumptions counted: " + handle.stats());
            return "resumed; peer certificate " + hexPrefix(expected) + " still present";
        }
    }

    private HandshakeResult handshake(ServerContext server, ClientContext client, ClientSession offer) {
        HandshakeResult result = transport.handshake(server, client, offer);
        expect(result.completed(), "handshake failed: " + result.error());
        return result;
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    private static String hexPrefix(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes, 0, Math.min(8, bytes.length)) + "…";
    }
}
