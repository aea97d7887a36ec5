package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeyRingStats;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.KeyState;
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
import io.ticketkeeper.endpoints.TlsVersion;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Automatic rotation driven by a manual clock and {@link TicketKeeperHandle#refreshKeys()}, never by sleeping. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class KeyRotationTest {
    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("rotation");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    private static TicketKeeperHandle install(ServerContext server, ManualClock clock, KeyRotation rotation,
            List<KeyEvent> events) {
        return TicketKeeper.install(server.address(), TicketKeeperOptions.builder().clock(clock)
                .policy(DefaultTicketPolicy.builder().build()).keySource(rotation).keyEventListener(events::add)
                .build());
    }

    @Test
    void theDefaultsRotateHourlyAndKeepTwelveHoursOfKeys() {
        ManualClock clock = new ManualClock();
        List<KeyEvent> events = new CopyOnWriteArrayList<>();
        try (ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                TicketKeeperHandle handle = install(server, clock, KeyRotation.defaults(), events)) {
            KeySnapshot start = handle.keys();
            assertEquals(2, start.size(), "one sealing key and its staged successor: " + start);
            assertEquals(KeyState.STAGED, handle.keyStats().get(0).state());
            assertEquals(KeyState.SEALING, handle.keyStats().get(1).state());
            TicketKey firstSealing = start.key(1);
            for (int hour = 1; hour <= 24; hour++) {
                clock.advance(Duration.ofHours(1));
                handle.refreshKeys();
            }
            // Steady state: the staged key, the sealing key and 12 hours of open-only keys.
            assertEquals(14, handle.keys().size(), handle.keyStats()::toString);
            assertTrue(firstSealing.isDestroyed(), "a key 24 h old was not cleansed");
            KeyRingStats stats = handle.keyRingStats();
            assertEquals(25, stats.promoted(), stats::toString);
            assertEquals(24, stats.retired(), stats::toString);
            assertEquals(12, stats.expired(), stats::toString);
            assertEquals(0, stats.loadFailures(), stats::toString);
            assertTrue(events.stream().filter(e -> e.type() == KeyEvent.Type.STAGED).count() >= 25, events::toString);
            assertFalse(events.toString().contains(java.util.HexFormat.of().formatHex(handle.keys().key(0).name())),
                    "events must not print whole key names");
        }
    }

    @Test
    void rotationGeneratesFreshDistinctKeysAndTheSchedulerThreadEndsWithTheHandle() throws InterruptedException {
        ManualClock clock = new ManualClock();
        KeyRotation rotation = KeyRotation.builder().sealFor(Duration.ofMinutes(1)).openFor(Duration.ofMinutes(2))
                .checkInterval(Duration.ofMillis(20)).build();
        Thread scheduler;
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerContext server = ServerContext.builder(TlsVersion.TLS1_2, certificate).build();
                TicketKeeperHandle handle = install(server, clock, rotation, new CopyOnWriteArrayList<>())) {
            assertNotEquals(java.nio.ByteBuffer.wrap(handle.keys().key(0).name()),
                    java.nio.ByteBuffer.wrap(handle.keys().key(1).name()));
            scheduler = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("ticketkeeper-keys-") && !before.contains(t))
                    .findFirst().orElseThrow();
            assertTrue(scheduler.isDaemon());
        }
        scheduler.join(10_000);
        assertFalse(scheduler.isAlive(), "the handle's scheduler thread outlived the handle");
    }

    @Test
    void rotationSettingsAreCheckedWithMessagesThatNameTheValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> KeyRotation.builder().sealFor(Duration.ZERO));
        assertTrue(zero.getMessage().contains("sealFor must be positive, was PT0S"), zero.getMessage());
        // Checked as the second one is set, naming the first.
        TicketKeeperOptions.Builder withKeys = TicketKeeperOptions.builder().keys(TicketKey.generate());
        IllegalStateException both = assertThrows(IllegalStateException.class,
                () -> withKeys.keySource(KeyRotation.defaults()));
        assertTrue(both.getMessage().contains("1 keys are already set"), both.getMessage());
        TicketKeeperOptions.Builder withSource = TicketKeeperOptions.builder().keySource(KeyRotation.defaults());
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> withSource.keys(TicketKey.generate()));
        assertTrue(other.getMessage().contains("a keySource (KeyRotation{"), other.getMessage());
    }

    /**
     * Two threads handshake continuously, each resuming its latest ticket, while the main thread rotates keys
     * every clock minute. A key opens tickets for two minutes after it stops sealing and each thread presents a
     * ticket at most one rotation old, so every presented ticket is valid: none may fail to resume.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void rotationWhileTwoThreadsHandshakeLosesNoValidTicket(TlsVersion version) throws Exception {
        ManualClock clock = new ManualClock();
        KeyRotation rotation = KeyRotation.builder().sealFor(Duration.ofMinutes(1)).openFor(Duration.ofMinutes(2))
                .checkInterval(Duration.ofHours(1)).build();
        int rotations = 12;
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                TicketKeeperHandle handle = install(server, clock, rotation, new CopyOnWriteArrayList<>())) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong failures = new AtomicLong();
            AtomicLong resumptions = new AtomicLong();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            AtomicLong[] rounds = {new AtomicLong(), new AtomicLong()};
            Thread[] threads = new Thread[2];
            for (int t = 0; t < threads.length; t++) {
                AtomicLong myRounds = rounds[t];
                threads[t] = new Thread(() -> {
                    try (ClientContext client = new ClientContext(version, certificate)) {
                        HandshakeResult latest = MemoryHandshake.run(server, client, null);
                        while (!stop.get()) {
                            HandshakeResult next = MemoryHandshake.run(server, client, latest.session());
                            if (next.resumed()) {
                                resumptions.incrementAndGet();
                            } else {
                                failures.incrementAndGet();
                                firstFailure.compareAndSet(null, next + " after " + latest);
                            }
                            if (next.hasTicket()) {
                                latest.close();
                                latest = next;
                            } else {
                                next.close();
                            }
                            myRounds.incrementAndGet();
                        }
                        latest.close();
                    }
                }, "handshaker-" + t);
                threads[t].start();
            }
            for (int i = 0; i < rotations; i++) {
                // Both threads present a ticket from after the previous rotation before the clock moves again.
                long[] before = {rounds[0].get(), rounds[1].get()};
                while (rounds[0].get() < before[0] + 2 || rounds[1].get() < before[1] + 2) {
                    Thread.onSpinWait();
                    assertTrue(threads[0].isAlive() && threads[1].isAlive(), "a handshake thread died");
                }
                clock.advance(Duration.ofMinutes(1));
                handle.refreshKeys();
            }
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
            assertEquals(0, failures.get(), () -> "valid tickets failed to resume; first: " + firstFailure.get());
            assertTrue(resumptions.get() >= 4L * rotations, "resumptions: " + resumptions.get());
            assertTrue(handle.keyRingStats().expired() >= rotations - 3, handle.keyRingStats()::toString);
            assertEquals(0, handle.stats().rejectedUnknownKey(), handle.stats()::toString);
        }
    }
}
