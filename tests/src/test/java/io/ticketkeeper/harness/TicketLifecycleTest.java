package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ClientSession;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.SocketHandshake;
import io.ticketkeeper.endpoints.TlsVersion;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every ticket decision, proven by real OpenSSL handshakes in TLS 1.2 and TLS 1.3. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class TicketLifecycleTest {
    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("lifecycle");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    /** A server with TicketKeeper installed under a scripted policy and a manual clock, and a client. */
    private static final class Setup implements AutoCloseable {
        final ScriptedPolicy policy = new ScriptedPolicy();
        final ManualClock clock = new ManualClock();
        final ServerContext server;
        final ClientContext client;
        final TicketKeeperHandle handle;

        Setup(TlsVersion version, TicketKey... keys) {
            server = ServerContext.builder(version, certificate).build();
            client = new ClientContext(version, certificate);
            handle = TicketKeeper.install(server.address(),
                    TicketKeeperOptions.builder().policy(policy).clock(clock).keys(keys).build());
        }

        HandshakeResult handshake(ClientSession offer) {
            return MemoryHandshake.run(server, client, offer);
        }

        @Override
        public void close() {
            handle.close();
            client.close();
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketIsIssuedAndResumes(TlsVersion version) {
        try (Setup setup = new Setup(version, TicketKey.generate());
                HandshakeResult first = setup.handshake(null);
                HandshakeResult second = setup.handshake(first.session())) {
            assertTrue(first.completed(), first::toString);
            assertFalse(first.resumed());
            assertTrue(first.hasTicket(), "no ticket issued");
            assertEquals(version, first.version());
            assertTrue(second.resumed(), "the ticket did not resume");
            TicketStats stats = setup.handle.stats();
            assertTrue(stats.sealed() >= 1, stats::toString);
            assertEquals(1, stats.resumed(), stats::toString);
            assertEquals(version.code(), setup.policy.lastProtocol);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void renewGivesANewTicketThatResumes(TlsVersion version) {
        try (Setup setup = new Setup(version, TicketKey.generate());
                HandshakeResult first = setup.handshake(null)) {
            setup.policy.keyDecision = KeyDecision.RENEW;
            try (HandshakeResult renewed = setup.handshake(first.session())) {
                assertTrue(renewed.resumed(), "a renewed ticket must still resume");
                assertTrue(renewed.hasTicket() && !renewed.session().sameTicketAs(first.session()),
                        "the client did not get a new ticket");
                setup.policy.keyDecision = null;
                try (HandshakeResult again = setup.handshake(renewed.session())) {
                    assertTrue(again.resumed(), "the renewed ticket did not resume");
                }
            }
            assertTrue(setup.handle.stats().renewed() >= 1, setup.handle.stats()::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void anUnknownKeyGivesAFullHandshakeAndAFreshTicket(TlsVersion version) {
        try (Setup setup = new Setup(version, TicketKey.generate());
                HandshakeResult first = setup.handshake(null)) {
            setup.handle.setKeys(TicketKey.generate());
            try (HandshakeResult second = setup.handshake(first.session())) {
                assertTrue(second.completed(), second::toString);
                assertFalse(second.resumed(), "a ticket under an unpublished key resumed");
                assertTrue(second.hasTicket() && !second.session().sameTicketAs(first.session()),
                        "no fresh ticket");
                assertEquals(1, setup.handle.stats().rejectedUnknownKey(), setup.handle.stats()::toString);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketUnderAnOlderKeyResumesAndIsRenewedUnderTheNewKey(TlsVersion version) {
        TicketKey oldKey = TicketKey.generate();
        try (Setup setup = new Setup(version, oldKey);
                HandshakeResult first = setup.handshake(null)) {
            setup.handle.setKeys(TicketKey.generate(), oldKey);
            try (HandshakeResult second = setup.handshake(first.session())) {
                assertTrue(second.resumed(), "a ticket under a open-only key did not resume");
                assertEquals(1, setup.policy.lastSlot, "the key's slot in the published keys");
                assertTrue(second.hasTicket() && !second.session().sameTicketAs(first.session()),
                        "the ticket was not renewed");
                assertTrue(setup.handle.stats().renewed() >= 1, setup.handle.stats()::toString);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void abortFailsTheHandshake(TlsVersion version) {
        try (Setup setup = new Setup(version, TicketKey.generate());
                HandshakeResult first = setup.handshake(null)) {
            setup.policy.keyDecision = KeyDecision.ABORT;
            try (HandshakeResult byKey = setup.handshake(first.session())) {
                assertFalse(byKey.completed(), "an abort on the key decision did not fail the handshake");
            }
            setup.policy.keyDecision = null;
            setup.policy.sessionDecision = SessionDecision.ABORT;
            try (HandshakeResult bySession = setup.handshake(first.session())) {
                assertFalse(bySession.completed(), "an abort on the session decision did not fail the handshake");
            }
            assertEquals(2, setup.handle.stats().aborted(), setup.handle.stats()::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aPolicyThatThrowsGivesAFullHandshakeAndIsCounted(TlsVersion version) {
        try (Setup setup = new Setup(version, TicketKey.generate());
                HandshakeResult first = setup.handshake(null)) {
            setup.policy.throwOnKey = new IllegalStateException("policy bug (decideKey)");
            try (HandshakeResult second = setup.handshake(first.session())) {
                assertTrue(second.completed(), second::toString);
                assertFalse(second.resumed());
            }
            setup.policy.throwOnKey = null;
            setup.policy.throwOnSession = new IllegalStateException("policy bug (decideSession)");
            try (HandshakeResult third = setup.handshake(first.session())) {
                assertTrue(third.completed(), third::toString);
                assertFalse(third.resumed());
            }
            setup.policy.throwOnSession = null;
            setup.policy.throwOnSelect = new IllegalStateException("policy bug (selectKey)");
            try (HandshakeResult fourth = setup.handshake(null)) {
                assertTrue(fourth.completed(), fourth::toString);
                assertFalse(fourth.session() != null && fourth.session().hasTicket()
                        && fourth.session().ticket().length > 0 && version == TlsVersion.TLS1_2,
                        "a TLS 1.2 ticket was issued although selectKey threw");
            }
            TicketStats stats = setup.handle.stats();
            assertTrue(stats.policyErrors() >= 3, stats::toString);
            assertEquals(0, stats.upcallErrors(), stats::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void theStampCarriesIssueTimeAndAgeByTheInjectedClock(TlsVersion version) {
        try (Setup setup = new Setup(version, TicketKey.generate())) {
            long issuedAt = setup.clock.millis();
            try (HandshakeResult first = setup.handshake(null)) {
                setup.clock.advance(Duration.ofMillis(1234));
                try (HandshakeResult second = setup.handshake(first.session())) {
                    assertTrue(second.resumed());
                    assertEquals(issuedAt, setup.policy.lastIssuedAt, setup.policy.lastSession);
                    assertEquals(1234, setup.policy.lastAge, setup.policy.lastSession);
                }
            }
        }
    }

    @Test
    void aBadKeyListIsRefusedAndThePreviousKeysStayInForce() {
        TicketKey key = TicketKey.generate();
        try (Setup setup = new Setup(TlsVersion.TLS1_2, key);
                HandshakeResult first = setup.handshake(null)) {
            IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                    () -> setup.handle.setKeys(key, TicketKey.of(key.name(), new byte[32], new byte[32])));
            assertTrue(duplicate.getMessage().contains("zero"), duplicate.getMessage());
            TicketKey twin = TicketKey.of(key.name(), filled(32, 7), filled(32, 9));
            IllegalArgumentException sameName = assertThrows(IllegalArgumentException.class,
                    () -> setup.handle.setKeys(key, twin));
            assertTrue(sameName.getMessage().contains("same name"), sameName.getMessage());
            try (HandshakeResult second = setup.handshake(first.session())) {
                assertTrue(second.resumed(), "the keys in force were lost");
            }
            assertEquals(key.toString(), setup.handle.keys().key(0).toString());
        }
    }

    @Test
    void keysAreCheckedWithMessagesThatNameTheProblem() {
        IllegalArgumentException shortName = assertThrows(IllegalArgumentException.class,
                () -> TicketKey.of(new byte[15], filled(32, 1), filled(32, 2)));
        assertTrue(shortName.getMessage().contains("16 bytes, was 15"), shortName.getMessage());
        IllegalArgumentException badAes = assertThrows(IllegalArgumentException.class,
                () -> TicketKey.of(new byte[16], filled(32, 1), filled(24, 2)));
        assertTrue(badAes.getMessage().contains("AES key must be 16 or 32 bytes, was 24"), badAes.getMessage());
        TicketKey key = TicketKey.generate();
        assertFalse(key.toString().length() > 40, "toString must not print key material: " + key);
        key.destroy();
        assertTrue(key.isDestroyed());
    }

    @Test
    void aContextTakesOneHandleAtATime() {
        try (Setup setup = new Setup(TlsVersion.TLS1_3, TicketKey.generate())) {
            TicketKeeperException twice = assertThrows(TicketKeeperException.class,
                    () -> TicketKeeper.install(setup.server.address()));
            assertTrue(twice.getMessage().contains("already has a TicketKeeper handle"), twice.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketResumesOverALoopbackSocket(TlsVersion version) {
        try (Setup setup = new Setup(version, TicketKey.generate());
                HandshakeResult first = SocketHandshake.run(setup.server, setup.client, null);
                HandshakeResult second = SocketHandshake.run(setup.server, setup.client, first.session())) {
            assertTrue(first.hasTicket(), first::toString);
            assertTrue(second.resumed(), second::toString);
        }
    }

    /** Random-looking bytes, the same for the same {@code seed}: a valid secret or name (a filled one is weak). */
    private static byte[] filled(int length, int seed) {
        byte[] bytes = new byte[length];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void keyNamesAreCopiedInAndOut() {
        byte[] name = filled(16, 3);
        TicketKey key = TicketKey.of(name, filled(32, 1), filled(32, 2));
        name[0] = 99;
        assertArrayEquals(filled(16, 3), key.name());
        key.name()[1] = 42;
        assertArrayEquals(filled(16, 3), key.name());
    }
}
