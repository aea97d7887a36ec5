package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeyState;
import io.ticketkeeper.ScheduledKey;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each edge of a key's schedule under the default policy, by a manual clock, in real handshakes. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class KeyScheduleTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("schedule");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    /** A server with TicketKeeper under the default policy and a manual clock. */
    static final class Server implements AutoCloseable {
        final ManualClock clock;
        final ServerContext context;
        final TicketKeeperHandle handle;
        final List<KeyEvent> events = new CopyOnWriteArrayList<>();

        Server(TlsVersion version, ManualClock clock, TicketPolicy policy) {
            this.clock = clock;
            context = ServerContext.builder(version, certificate).build();
            handle = TicketKeeper.install(context.address(), TicketKeeperOptions.builder().policy(policy)
                    .clock(clock).keys(List.of()).keyEventListener(events::add).build());
        }

        Server(TlsVersion version, ManualClock clock) {
            this(version, clock, DefaultTicketPolicy.builder().build());
        }

        @Override
        public void close() {
            handle.close();
            context.close();
        }
    }

    static byte[] keyName(HandshakeResult result) {
        return Arrays.copyOf(result.session().ticket(), 16);
    }

    private static Instant at(ManualClock clock, Duration offset) {
        return clock.instant().plus(offset);
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aStagedKeyDoesNotSealButOpensTicketsSealedElsewhere(TlsVersion version) {
        ManualClock clock = new ManualClock();
        TicketKey current = TicketKey.generate();
        TicketKey next = TicketKey.generate();
        try (Server here = new Server(version, clock);
                Server ahead = new Server(version, clock);
                ClientContext client = new ClientContext(version, certificate)) {
            here.handle.setSchedule(List.of(
                    ScheduledKey.of(current, at(clock, HOUR.negated()), at(clock, HOUR), at(clock, HOUR.multipliedBy(3))),
                    ScheduledKey.of(next, at(clock, HOUR), at(clock, HOUR.multipliedBy(2)), at(clock, HOUR.multipliedBy(4)))));
            // Another server of the fleet already seals with the next key.
            ahead.handle.setSchedule(List.of(ScheduledKey.unlimited(next)));
            assertEquals(KeyState.STAGED, here.handle.keyStats().get(0).state(), here.handle.keyStats()::toString);
            try (HandshakeResult sealedHere = MemoryHandshake.run(here.context, client, null);
                    HandshakeResult sealedAhead = MemoryHandshake.run(ahead.context, client, null)) {
                assertArrayEquals(current.name(), keyName(sealedHere), "the staged key sealed a ticket");
                assertArrayEquals(next.name(), keyName(sealedAhead));
                try (HandshakeResult resumed = MemoryHandshake.run(here.context, client, sealedAhead.session())) {
                    assertTrue(resumed.resumed(), "a ticket under a staged key did not resume");
                    if (version == TlsVersion.TLS1_2) {
                        assertFalse(resumed.hasTicket() && !resumed.session().sameTicketAs(sealedAhead.session()),
                                "a ticket under a staged key must not be renewed under an older key");
                    }
                }
            }
            assertTrue(here.events.stream().anyMatch(e -> e.type() == KeyEvent.Type.STAGED), here.events::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void atNotBeforeTheStagedKeySealsAndPastEncryptUntilOldTicketsRenew(TlsVersion version) {
        ManualClock clock = new ManualClock();
        TicketKey first = TicketKey.generate();
        TicketKey second = TicketKey.generate();
        try (Server server = new Server(version, clock);
                ClientContext client = new ClientContext(version, certificate)) {
            server.handle.setSchedule(List.of(
                    ScheduledKey.of(first, clock.instant(), at(clock, HOUR), at(clock, HOUR.multipliedBy(3))),
                    ScheduledKey.of(second, at(clock, HOUR), at(clock, HOUR.multipliedBy(2)),
                            at(clock, HOUR.multipliedBy(4)))));
            try (HandshakeResult early = MemoryHandshake.run(server.context, client, null)) {
                assertArrayEquals(first.name(), keyName(early));
                clock.advance(HOUR.minusMillis(1));
                try (HandshakeResult lastMilli = MemoryHandshake.run(server.context, client, null)) {
                    assertArrayEquals(first.name(), keyName(lastMilli), "one ms before seal-until");
                }
                clock.advance(Duration.ofMillis(1));
                try (HandshakeResult promoted = MemoryHandshake.run(server.context, client, null)) {
                    assertArrayEquals(second.name(), keyName(promoted), "at not-before the staged key seals");
                }
                try (HandshakeResult renewed = MemoryHandshake.run(server.context, client, early.session())) {
                    assertTrue(renewed.resumed(), "a ticket under a key past seal-until did not resume");
                    assertTrue(renewed.hasTicket(), "no renewed ticket");
                    assertArrayEquals(second.name(), keyName(renewed), "not renewed under the sealing key");
                }
            }
            server.handle.refreshKeys();
            assertTrue(server.events.stream().anyMatch(e -> e.type() == KeyEvent.Type.RETIRED), server.events::toString);
            assertTrue(server.events.stream().anyMatch(e -> e.type() == KeyEvent.Type.PROMOTED), server.events::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void pastDecryptUntilAFullHandshakeAndTheKeyIsDroppedAndCleansed(TlsVersion version) {
        ManualClock clock = new ManualClock();
        TicketKey old = TicketKey.generate();
        TicketKey current = TicketKey.generate();
        try (Server server = new Server(version, clock);
                ClientContext client = new ClientContext(version, certificate)) {
            server.handle.setSchedule(List.of(
                    ScheduledKey.of(old, clock.instant(), at(clock, HOUR), at(clock, HOUR.multipliedBy(2))),
                    ScheduledKey.of(current, at(clock, HOUR), ScheduledKey.FOREVER, ScheduledKey.FOREVER)));
            try (HandshakeResult first = MemoryHandshake.run(server.context, client, null)) {
                assertArrayEquals(old.name(), keyName(first));
                clock.advance(HOUR.multipliedBy(2).minusMillis(1));
                try (HandshakeResult lastMilli = MemoryHandshake.run(server.context, client, first.session())) {
                    assertTrue(lastMilli.resumed(), "one ms before open-until the ticket must resume");
                }
                clock.advance(Duration.ofMillis(1));
                try (HandshakeResult expired = MemoryHandshake.run(server.context, client, first.session())) {
                    assertTrue(expired.completed(), expired::toString);
                    assertFalse(expired.resumed(), "a ticket under a key past open-until resumed");
                    assertArrayEquals(current.name(), keyName(expired), "no fresh ticket");
                }
            }
            assertFalse(old.isDestroyed(), "the key is still published");
            server.handle.refreshKeys();
            assertEquals(1, server.handle.keys().size(), server.handle.keys()::toString);
            assertTrue(old.isDestroyed(), "an expired key was not destroyed");
            assertEquals(1, server.handle.keyRingStats().expired(), server.handle.keyRingStats()::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void renewAfterRenewsAndMaxAgeGivesAFullHandshake(TlsVersion version) {
        ManualClock clock = new ManualClock();
        // The nginx work's figures: timeout 10 s, renew from 5 s.
        DefaultTicketPolicy policy = DefaultTicketPolicy.builder().maxAge(Duration.ofSeconds(10))
                .renewAfter(Duration.ofSeconds(5)).build();
        try (Server server = new Server(version, clock, policy);
                ClientContext client = new ClientContext(version, certificate)) {
            server.handle.setKeys(TicketKey.generate());
            try (HandshakeResult first = MemoryHandshake.run(server.context, client, null)) {
                clock.advance(Duration.ofMillis(4999));
                try (HandshakeResult young = MemoryHandshake.run(server.context, client, first.session())) {
                    assertTrue(young.resumed());
                    boolean renewed = young.hasTicket() && !young.session().sameTicketAs(first.session());
                    assertEquals(version == TlsVersion.TLS1_3, renewed,
                            "before renew-after only TLS 1.3 renews (every TLS 1.3 resumption does)");
                }
                clock.advance(Duration.ofMillis(1));
                try (HandshakeResult old = MemoryHandshake.run(server.context, client, first.session())) {
                    assertTrue(old.resumed());
                    assertTrue(old.hasTicket() && !old.session().sameTicketAs(first.session()), "not renewed at 5 s");
                }
                clock.advance(Duration.ofMillis(5001));
                try (HandshakeResult tooOld = MemoryHandshake.run(server.context, client, first.session())) {
                    assertTrue(tooOld.completed(), tooOld::toString);
                    assertFalse(tooOld.resumed(), "a ticket older than max age resumed");
                    assertTrue(tooOld.hasTicket(), "no fresh ticket after max age");
                }
            }
        }
    }

    /** Hand-over: within it the new key seals a growing share, after it everything; never a ticket without a key. */
    @Test
    void aHandOverRampsTheNewKeyUp() {
        ManualClock clock = new ManualClock();
        Duration handOver = Duration.ofMinutes(10);
        DefaultTicketPolicy policy = DefaultTicketPolicy.builder().handOver(handOver).build();
        TicketKey old = TicketKey.generate();
        TicketKey next = TicketKey.generate();
        try (Server server = new Server(TlsVersion.TLS1_2, clock, policy);
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate)) {
            server.handle.setSchedule(List.of(
                    ScheduledKey.of(old, clock.instant(), at(clock, HOUR.plus(handOver)), at(clock, HOUR.multipliedBy(5))),
                    ScheduledKey.of(next, at(clock, HOUR), at(clock, HOUR.multipliedBy(2)), at(clock, HOUR.multipliedBy(5)))));
            clock.advance(HOUR.plus(handOver.dividedBy(2)));
            int byNext = 0;
            int tickets = 40;
            for (int i = 0; i < tickets; i++) {
                try (HandshakeResult result = MemoryHandshake.run(server.context, client, null)) {
                    byte[] name = keyName(result);
                    assertTrue(Arrays.equals(name, old.name()) || Arrays.equals(name, next.name()));
                    byNext += Arrays.equals(name, next.name()) ? 1 : 0;
                }
            }
            // Half-way through, each ticket is the new key's with probability 1/2: all 40 one way is 2^-39.
            assertTrue(byNext > 0 && byNext < tickets, "half-way through the hand-over: " + byNext + " of " + tickets);
            clock.advance(handOver);
            try (HandshakeResult after = MemoryHandshake.run(server.context, client, null)) {
                assertArrayEquals(next.name(), keyName(after));
            }
        }
    }

    /** Lookup costs the same for 10 and 10,000 keys: a ticket under the last of 10,000 keys resumes. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTenThousandKeyRingWorks(TlsVersion version) {
        ManualClock clock = new ManualClock();
        List<TicketKey> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(TicketKey.generate());
        }
        try (Server server = new Server(version, clock);
                ClientContext client = new ClientContext(version, certificate)) {
            server.handle.setKeys(keys.get(9_999));
            try (HandshakeResult sealedByLast = MemoryHandshake.run(server.context, client, null)) {
                server.handle.setKeys(keys);
                assertEquals(10_000, server.handle.keys().size());
                try (HandshakeResult resumed = MemoryHandshake.run(server.context, client, sealedByLast.session());
                        HandshakeResult fresh = MemoryHandshake.run(server.context, client, null)) {
                    assertTrue(resumed.resumed(), "a ticket under slot 9999 did not resume");
                    assertArrayEquals(keys.get(0).name(), keyName(fresh));
                }
            }
            assertEquals(1, server.handle.keyStats().get(9_999).opened(), "per-key counter of slot 9999");
        }
    }
}
