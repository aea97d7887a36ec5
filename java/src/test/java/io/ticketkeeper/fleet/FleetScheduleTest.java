package io.ticketkeeper.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fleet's schedule arithmetic: periods from time alone, live windows, and the entries that fit it. */
class FleetScheduleTest {
    /** Periods of 10 s, tickets live 60 s, a key may seal 10 s past its period: each key opens 70 s after it. */
    private final FleetSchedule schedule = new FleetSchedule(10_000, 60_000, 10_000);

    @Test
    void periodsAreCutFromTheEpoch() {
        assertEquals(0, schedule.index(9_999));
        assertEquals(1, schedule.index(10_000));
        assertEquals(-1, schedule.index(-1));
        assertEquals(50_000, schedule.notBefore(5));
        assertEquals(60_000, schedule.sealUntil(5));
        assertEquals(130_000, schedule.openUntil(5));
        assertEquals(70_000, schedule.lastSealing(schedule.openUntil(5)), "seals at most outageSealing past it");
    }

    @Test
    void theLiveWindowHoldsEveryKeyThatStillOpensAndTwoAhead() {
        long now = 1_000_000;
        long first = schedule.firstLive(now);
        assertTrue(schedule.openUntil(first) > now, "the first live key no longer opens");
        assertTrue(schedule.openUntil(first - 1) <= now, "a key that still opens is left out");
        assertEquals(schedule.index(now) + FleetSchedule.STAGED_AHEAD, schedule.lastMade(now));
        assertTrue(schedule.lastMade(now) - first + 1 <= schedule.liveKeys());
        assertEquals(first, schedule.firstLive(schedule.openUntil(first) - 1));
        assertEquals(first + 1, schedule.firstLive(schedule.openUntil(first)));
    }

    @Test
    void anEntryFitsOnlyItsOwnPeriodOnThisSchedule() {
        assertNull(schedule.mismatch(5, 50_000, 60_000, 130_000));
        assertNull(schedule.mismatch(5, 55_000, 60_000, 130_000), "a key made late starts late");
        assertTrue(schedule.mismatch(5, 60_000, 60_000, 130_000).contains("outside its period"));
        assertTrue(schedule.mismatch(5, 40_000, 60_000, 130_000).contains("outside its period"));
        assertTrue(schedule.mismatch(6, 50_000, 60_000, 130_000).contains("is not this node's"));
        String otherAge = new FleetSchedule(10_000, 30_000, 10_000).mismatch(5, 50_000, 60_000, 130_000);
        assertTrue(otherAge.contains("maxAge=30000ms"), otherAge);
    }

    @Test
    void theScheduleReadsTheSameOnEveryNode() {
        assertEquals("rotate=10000ms maxAge=60000ms outageSealing=10000ms", schedule.describe());
        assertEquals(schedule.describe(), new FleetSchedule(10_000, 60_000, 10_000).describe());
    }
}
