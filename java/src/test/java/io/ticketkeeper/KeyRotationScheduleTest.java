package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KeyRotation's schedule, to the millisecond, without a handshake or a clock: time is the argument. */
class KeyRotationScheduleTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private static List<ScheduledKey> newestFirst(List<ScheduledKey> keys) {
        return keys.stream().sorted(Comparator.comparingLong(ScheduledKey::notBeforeMillis).reversed()).toList();
    }

    @Test
    void theFirstRefreshMakesASealingKeyAndStagesTheNextOnePeriodAhead() {
        List<ScheduledKey> keys = newestFirst(KeyRotation.defaults().refresh(T0, List.of()));
        assertEquals(2, keys.size());
        ScheduledKey staged = keys.get(0);
        ScheduledKey sealing = keys.get(1);
        assertEquals(T0, sealing.notBeforeMillis());
        assertEquals(T0 + HOUR, sealing.sealUntilMillis());
        assertEquals(T0 + 13 * HOUR, sealing.openUntilMillis());
        assertEquals(T0 + HOUR, staged.notBeforeMillis());
        assertEquals(KeyState.SEALING, sealing.stateAt(T0));
        assertEquals(KeyState.STAGED, staged.stateAt(T0 + HOUR - 1));
        assertEquals(KeyState.SEALING, staged.stateAt(T0 + HOUR));
        assertEquals(KeyState.OPEN_ONLY, sealing.stateAt(T0 + HOUR));
        assertEquals(KeyState.OPEN_ONLY, sealing.stateAt(T0 + 13 * HOUR - 1));
        assertEquals(KeyState.EXPIRED, sealing.stateAt(T0 + 13 * HOUR));
    }

    @Test
    void nothingChangesWithinAPeriodAndTheNextKeyIsStagedWhenOneIsPromoted() {
        KeyRotation rotation = KeyRotation.defaults();
        List<ScheduledKey> keys = rotation.refresh(T0, List.of());
        assertSame(keys, rotation.refresh(T0 + HOUR - 1, keys), "no change within the period");
        List<ScheduledKey> promoted = rotation.refresh(T0 + HOUR, keys);
        assertEquals(3, promoted.size());
        assertEquals(T0 + 2 * HOUR, newestFirst(promoted).get(0).notBeforeMillis());
    }

    @Test
    void theSteadyStateHoldsTwoPlusOpenForOverSealForKeys() {
        KeyRotation rotation = KeyRotation.defaults();
        KeyRing ring = new KeyRing(rotation, null);
        List<ScheduledKey> published = List.of();
        for (long now = T0; now <= T0 + 30 * HOUR; now += HOUR / 4) {
            List<ScheduledKey> next = ring.next(now, null);
            if (next != null) {
                ring.published(now, next, true);
                published = next;
            }
        }
        // The staged key, the sealing key and 12 hours of keys that only open.
        assertEquals(14, published.size(), published::toString);
    }

    @Test
    void aHandOverKeepsTheOldKeySealingThatMuchLonger() {
        KeyRotation rotation = KeyRotation.builder().sealFor(Duration.ofMinutes(10)).openFor(Duration.ofMinutes(30))
                .handOver(Duration.ofMinutes(2)).build();
        ScheduledKey sealing = newestFirst(rotation.refresh(T0, List.of())).get(1);
        assertEquals(T0 + Duration.ofMinutes(12).toMillis(), sealing.sealUntilMillis());
        assertEquals(T0 + Duration.ofMinutes(40).toMillis(), sealing.openUntilMillis());
    }

    @Test
    void settingsAreCheckedWithMessagesThatNameTheValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> KeyRotation.builder().sealFor(Duration.ZERO));
        assertEquals("sealFor must be positive, was PT0S", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> KeyRotation.builder().handOver(Duration.ofSeconds(-1)));
        assertEquals("handOver must not be negative, was PT-1S", negative.getMessage());
        IllegalArgumentException longHandOver = assertThrows(IllegalArgumentException.class,
                () -> KeyRotation.builder().openFor(Duration.ofMinutes(1)).handOver(Duration.ofMinutes(2)).build());
        assertTrue(longHandOver.getMessage().contains("handOver (PT2M) must not exceed openFor (PT1M)"),
                longHandOver.getMessage());
        assertThrows(NullPointerException.class, () -> KeyRotation.builder().checkInterval(null));
    }
}
