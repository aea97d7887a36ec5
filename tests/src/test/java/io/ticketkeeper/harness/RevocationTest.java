package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketRevocations;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Revocation through the stamp every ticket carries, proven by real handshakes. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class RevocationTest {
    private static SelfSignedCertificate serverCertificate;
    private static SelfSignedCertificate alice;
    private static SelfSignedCertificate bob;

    @BeforeAll
    static void makeCertificates() {
        serverCertificate = SelfSignedCertificate.create("revocation");
        alice = SelfSignedCertificate.create("alice");
        bob = SelfSignedCertificate.create("bob");
    }

    @AfterAll
    static void freeCertificates() {
        serverCertificate.close();
        alice.close();
        bob.close();
    }

    /** A server under the default policy with revocation rules; {@code trusted} clients must show a certificate. */
    private static final class Setup implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final TicketRevocations revocations = TicketRevocations.create();
        final ServerContext server;
        final TicketKeeperHandle handle;

        Setup(TlsVersion version, SelfSignedCertificate trusted) {
            this(version, trusted, DefaultTicketPolicy.builder());
        }

        Setup(TlsVersion version, SelfSignedCertificate trusted, DefaultTicketPolicy.Builder policy) {
            ServerContext.Builder builder = ServerContext.builder(version, serverCertificate);
            server = (trusted == null ? builder : builder.requireClientCertificate(trusted)).build();
            handle = TicketKeeper.install(server.address(), TicketKeeperOptions.builder().clock(clock)
                    .policy(policy.revocations(revocations).build())
                    .keys(TicketKey.generate()).build());
        }

        @Override
        public void close() {
            handle.close();
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void ticketsIssuedBeforeATimeDoNotResume(TlsVersion version) {
        try (Setup setup = new Setup(version, null);
                ClientContext client = new ClientContext(version, serverCertificate);
                HandshakeResult before = MemoryHandshake.run(setup.server, client, null)) {
            setup.clock.advance(Duration.ofMinutes(1));
            try (HandshakeResult atCutoff = MemoryHandshake.run(setup.server, client, null)) {
                setup.revocations.revokeIssuedBefore(setup.clock.instant());
                try (HandshakeResult revoked = MemoryHandshake.run(setup.server, client, before.session());
                        HandshakeResult kept = MemoryHandshake.run(setup.server, client, atCutoff.session())) {
                    assertTrue(revoked.completed() && !revoked.resumed(), "a ticket issued before T resumed");
                    assertTrue(revoked.hasTicket(), "a revoked ticket gets a fresh one");
                    assertTrue(kept.resumed(), "a ticket issued at T must resume");
                    try (HandshakeResult fresh = MemoryHandshake.run(setup.server, client, revoked.session())) {
                        assertTrue(fresh.resumed(), "the fresh ticket must resume");
                    }
                }
            }
            assertEquals(1, setup.revocations.revokedCount());
        }
    }

    /**
     * A ticket renewed from another carries the same session, so it keeps the first ticket's issue time: revoking
     * everything issued before T0 + 1 ms ends a session first ticketed at T0 that was renewed at T1 (a TLS 1.2
     * renewal past renewAfter; every TLS 1.3 resumption). On the old shim the renewal restamped the ticket with T1,
     * and the pre-revocation session lived on.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aRenewedTicketIsRevokedByItsSessionsFirstIssueTime(TlsVersion version) {
        try (Setup setup = new Setup(version, null,
                DefaultTicketPolicy.builder().maxAge(Duration.ofHours(1)).renewAfter(Duration.ofMinutes(1)));
                ClientContext client = new ClientContext(version, serverCertificate);
                HandshakeResult first = MemoryHandshake.run(setup.server, client, null)) {
            java.time.Instant firstIssued = setup.clock.instant();
            setup.clock.advance(Duration.ofMinutes(2));
            try (HandshakeResult renewed = MemoryHandshake.run(setup.server, client, first.session())) {
                assertTrue(renewed.resumed(), renewed::toString);
                assertTrue(renewed.hasTicket() && !renewed.session().sameTicketAs(first.session()),
                        "the resumption brought no renewed ticket");
                setup.clock.advance(Duration.ofMinutes(1));
                setup.revocations.revokeIssuedBefore(firstIssued.plusMillis(1));
                try (HandshakeResult revoked = MemoryHandshake.run(setup.server, client, renewed.session())) {
                    assertTrue(revoked.completed(), revoked::toString);
                    assertFalse(revoked.resumed(), "a renewed ticket of a session first ticketed before the "
                            + "revocation time resumed");
                }
            }
            assertEquals(1, setup.revocations.revokedCount());
        }
    }

    /**
     * A chain of renewals ends at maxAge, counted from the session's first ticket: each renewal below happens
     * before renewAfter and maxAge would end the ticket in hand, yet the chain is older than maxAge at the end.
     * On the old shim every renewal restarted the age and the chain never ended.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aChainOfRenewalsEndsAtMaxAge(TlsVersion version) {
        try (Setup setup = new Setup(version, null,
                DefaultTicketPolicy.builder().maxAge(Duration.ofMinutes(10)).renewAfter(Duration.ofMinutes(1)));
                ClientContext client = new ClientContext(version, serverCertificate)) {
            HandshakeResult held = MemoryHandshake.run(setup.server, client, null);
            try {
                assertTrue(held.hasTicket(), held::toString);
                for (int renewal = 1; renewal <= 4; renewal++) {
                    setup.clock.advance(Duration.ofMinutes(2));
                    HandshakeResult next = MemoryHandshake.run(setup.server, client, held.session());
                    held.close();
                    held = next;
                    assertTrue(held.resumed(), "renewal " + renewal + " did not resume: " + held);
                    assertTrue(held.hasTicket(), "renewal " + renewal + " brought no ticket");
                }
                // 8 minutes since the first ticket, 2 since the newest renewal: 3 more pass maxAge (10).
                setup.clock.advance(Duration.ofMinutes(3));
                try (HandshakeResult ended = MemoryHandshake.run(setup.server, client, held.session())) {
                    assertTrue(ended.completed(), ended::toString);
                    assertFalse(ended.resumed(), "a chain of renewals outlived maxAge");
                    assertTrue(ended.hasTicket(), "the full handshake brought no fresh ticket");
                }
            } finally {
                held.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void ticketsOfARevokedClientCertificateDoNotResume(TlsVersion version) {
        try (Setup setup = new Setup(version, alice);
                ClientContext aliceClient = new ClientContext(version, serverCertificate, alice);
                HandshakeResult aliceFirst = MemoryHandshake.run(setup.server, aliceClient, null)) {
            assertTrue(aliceFirst.completed(), aliceFirst::toString);
            setup.revocations.revokeClientCertificate(bob.sha256());
            try (HandshakeResult stillAlice = MemoryHandshake.run(setup.server, aliceClient, aliceFirst.session())) {
                assertTrue(stillAlice.resumed(), "revoking another certificate stopped this one");
            }
            setup.revocations.revokeClientCertificate(alice.sha256());
            try (HandshakeResult revoked = MemoryHandshake.run(setup.server, aliceClient, aliceFirst.session())) {
                assertTrue(revoked.completed(), revoked::toString);
                assertFalse(revoked.resumed(), "a ticket of a revoked client certificate resumed");
            }
        }
        IllegalArgumentException shortFingerprint = assertThrows(IllegalArgumentException.class,
                () -> TicketRevocations.create().revokeClientCertificate(new byte[20]));
        assertTrue(shortFingerprint.getMessage().contains("32 bytes, was 20"), shortFingerprint.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void ticketsWithARevokedTagDoNotResume(TlsVersion version) {
        try (Setup setup = new Setup(version, null);
                ClientContext client = new ClientContext(version, serverCertificate)) {
            setup.handle.setTicketTag(7);
            try (HandshakeResult tagged7 = MemoryHandshake.run(setup.server, client, null)) {
                setup.handle.setTicketTag(8);
                try (HandshakeResult tagged8 = MemoryHandshake.run(setup.server, client, null)) {
                    setup.revocations.revokeTag(7);
                    try (HandshakeResult revoked = MemoryHandshake.run(setup.server, client, tagged7.session());
                            HandshakeResult kept = MemoryHandshake.run(setup.server, client, tagged8.session())) {
                        assertFalse(revoked.resumed(), "a ticket tagged 7 resumed after tag 7 was revoked");
                        assertTrue(kept.resumed(), "a ticket tagged 8 must resume");
                    }
                }
            }
        }
    }

    /** Without rules nothing is revoked, client certificate or not: the fingerprint is only looked at when asked. */
    @Test
    void noRulesRevokeNothing() {
        try (Setup setup = new Setup(TlsVersion.TLS1_2, alice);
                ClientContext aliceClient = new ClientContext(TlsVersion.TLS1_2, serverCertificate, alice);
                HandshakeResult first = MemoryHandshake.run(setup.server, aliceClient, null);
                HandshakeResult second = MemoryHandshake.run(setup.server, aliceClient, first.session())) {
            assertTrue(second.resumed());
            assertEquals(0, setup.revocations.revokedCount());
        }
    }
}
