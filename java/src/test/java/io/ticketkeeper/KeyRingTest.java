package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key ring between publications, without a handshake: order, expiry, events and ownership. */
class KeyRingTest {
    private static final long T0 = 1_700_000_000_000L;

    private final List<KeyEvent> events = new ArrayList<>();

    private static ScheduledKey key(long notBefore, long sealUntil, long openUntil) {
        return ScheduledKey.of(TicketKey.generate(), Instant.ofEpochMilli(notBefore), Instant.ofEpochMilli(sealUntil),
                Instant.ofEpochMilli(openUntil));
    }

    @Test
    void keysAreOrderedNewestFirstAndExpiredOnesLeftOut() {
        KeyRing ring = new KeyRing(null, events::add);
        ScheduledKey old = key(T0 - 2000, T0 - 1000, T0 + 5000);
        ScheduledKey current = key(T0 - 1000, T0 + 1000, T0 + 9000);
        ScheduledKey staged = key(T0 + 1000, T0 + 2000, T0 + 9000);
        ScheduledKey expired = key(T0 - 9000, T0 - 8000, T0);
        List<ScheduledKey> next = ring.next(T0, List.of(old, expired, staged, current));
        assertEquals(List.of(staged, current, old), next);
    }

    @Test
    void nothingChangedGivesNullAndEqualMaterialInANewObjectIsAChange() {
        KeyRing ring = new KeyRing(null, events::add);
        ScheduledKey current = key(T0, T0 + 1000, T0 + 2000);
        ring.published(T0, ring.next(T0, List.of(current)), true);
        assertNull(ring.next(T0, List.of(current)));
        assertNull(ring.next(T0 + 1, null), "a ring without a source keeps its keys");
        ScheduledKey other = ScheduledKey.of(TicketKey.generate(), current.notBefore(), current.sealUntil(),
                current.openUntil());
        assertEquals(List.of(other), ring.next(T0, List.of(other)));
    }

    @Test
    void eventsFollowTheSchedule() {
        KeyRing ring = new KeyRing(null, events::add);
        ScheduledKey first = key(T0, T0 + 1000, T0 + 3000);
        ScheduledKey second = key(T0 + 1000, T0 + 2000, T0 + 4000);
        ring.published(T0, ring.next(T0, List.of(first, second)), true);
        ring.observe(T0 + 1000);
        List<ScheduledKey> onlySecond = ring.next(T0 + 3000, List.of(first, second));
        ring.published(T0 + 3000, onlySecond, true);

        List<KeyEvent.Type> types = events.stream().map(KeyEvent::type).toList();
        assertEquals(List.of(KeyEvent.Type.STAGED, KeyEvent.Type.PROMOTED, KeyEvent.Type.RETIRED,
                KeyEvent.Type.PROMOTED, KeyEvent.Type.EXPIRED, KeyEvent.Type.RETIRED), types);
        KeyRingStats stats = ring.stats(KeySnapshot.scheduled(7, onlySecond));
        assertEquals(7, stats.generation());
        assertEquals(1, stats.keyCount());
        assertEquals(1, stats.staged());
        assertEquals(2, stats.promoted());
        assertEquals(2, stats.retired());
        assertEquals(1, stats.expired());
        assertTrue(first.key().isDestroyed(), "a key the ring owned is cleansed when it leaves");
        assertFalse(second.key().isDestroyed());
    }

    @Test
    void keysTheCallerOwnsAreNotDestroyed() {
        KeyRing ring = new KeyRing(null, events::add);
        TicketKey callers = TicketKey.generate();
        ring.published(T0, ring.next(T0, List.of(ScheduledKey.unlimited(callers))), false);
        ring.published(T0, ring.next(T0, List.of(ScheduledKey.unlimited(TicketKey.generate()))), false);
        assertFalse(callers.isDestroyed());
        assertEquals(KeyEvent.Type.EXPIRED, events.get(events.size() - 2).type());
    }

    @Test
    void aFailingSourceIsReportedOnceWhileItKeepsFailingTheSameWay() {
        KeySource failing = new KeySource() {
            @Override
            public List<ScheduledKey> refresh(long nowMillis, List<ScheduledKey> current) {
                throw new KeyFileException(java.nio.file.Path.of("ticket.key"), "47 bytes, expected 80");
            }

            @Override
            public Duration checkInterval() {
                return Duration.ofSeconds(10);
            }
        };
        KeyRing ring = new KeyRing(failing, events::add);
        for (int i = 0; i < 3; i++) {
            KeyFileException e = assertThrows(KeyFileException.class, () -> ring.next(T0, null));
            assertTrue(e.getMessage().contains("ticket.key"), e.getMessage());
        }
        assertEquals(1, events.size());
        KeyEvent event = events.get(0);
        assertEquals(KeyEvent.Type.LOAD_FAILED, event.type());
        assertEquals("", event.key(), "a load failure names no key");
        assertEquals(3, ring.stats(KeySnapshot.EMPTY).loadFailures());
    }

    @Test
    void destroyedKeysAndSharedNamesAreRefusedByName() {
        KeyRing ring = new KeyRing(null, events::add);
        ScheduledKey destroyed = key(T0, T0 + 1000, T0 + 2000);
        destroyed.key().destroy();
        IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                () -> ring.next(T0, List.of(destroyed)));
        assertTrue(gone.getMessage().contains("is destroyed"), gone.getMessage());

        TicketKey a = TicketKey.generate();
        byte[] secret = new byte[32];
        new java.util.Random(7).nextBytes(secret);
        TicketKey twin = TicketKey.of(a.name(), secret, secret);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> ring.next(T0,
                List.of(ScheduledKey.unlimited(a), ScheduledKey.openOnly(twin, ScheduledKey.FOREVER))));
        assertTrue(twice.getMessage().contains("same name"), twice.getMessage());
    }
}
