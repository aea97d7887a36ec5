package io.ticketkeeper.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeyState;
import io.ticketkeeper.ScheduledKey;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sealing rule of the keys a node holds: a key seals until the next one starts, but never so long that its
 * tickets could outlive it; keys leave when they stop opening, superseded keys only open.
 */
class FleetKeysTest {
    private static final long MAX_AGE = 60_000;
    private final FleetSchedule schedule = new FleetSchedule(10_000, MAX_AGE, 10_000);

    private FleetKey key(long index, long notBefore) throws GeneralSecurityException {
        byte[] plaintext = FleetKey.newPlaintext(notBefore, schedule.sealUntil(index), schedule.openUntil(index));
        try {
            return FleetKey.of(index, new byte[] {(byte) index}, plaintext, schedule);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private FleetKey key(long index) throws GeneralSecurityException {
        return key(index, schedule.notBefore(index));
    }

    @Test
    void inSteadyStateEachKeySealsItsPeriodAndTheNewestUpToItsOutageSealing() throws Exception {
        FleetKeys keys = FleetKeys.NONE.with(key(5)).with(key(6)).with(key(7));
        assertEquals(schedule.sealUntil(5), keys.sealsUntil(5, MAX_AGE));
        assertEquals(schedule.sealUntil(6), keys.sealsUntil(6, MAX_AGE));
        assertEquals(schedule.lastSealing(schedule.openUntil(7)), keys.sealsUntil(7, MAX_AGE),
                "the newest seals past its period only as long as its tickets can live their age");
        List<ScheduledKey> scheduled = keys.scheduled(55_000, MAX_AGE);
        assertEquals(3, scheduled.size());
        assertEquals(KeyState.SEALING, scheduled.get(0).stateAt(55_000));
        assertEquals(KeyState.STAGED, scheduled.get(1).stateAt(55_000));
    }

    @Test
    void aMissingPeriodIsBridgedAndALateKeyTakesOverWhenItStarts() throws Exception {
        FleetKeys gap = FleetKeys.NONE.with(key(5)).with(key(7));
        assertEquals(schedule.notBefore(7), gap.sealsUntil(5, MAX_AGE), "period 6 has no key: 5 seals on");
        assertTrue(gap.sealsAt(65_000, MAX_AGE));
        FleetKeys late = FleetKeys.NONE.with(key(5)).with(key(6, 63_000));
        assertEquals(63_000, late.sealsUntil(5, MAX_AGE), "5 seals until the late key starts");
        FleetKeys tooLate = FleetKeys.NONE.with(key(5)).with(key(8));
        assertEquals(schedule.lastSealing(schedule.openUntil(5)), tooLate.sealsUntil(5, MAX_AGE));
        assertFalse(tooLate.sealsAt(75_000, MAX_AGE), "sealed past what its tickets' age allows");
    }

    @Test
    void keysLeaveWhenTheyStopOpeningAndAreCleansedUnlessARingOwnsThem() throws Exception {
        FleetKey handedOut = key(5);
        FleetKey kept = key(6);
        FleetKeys keys = FleetKeys.NONE.with(handedOut).with(kept);
        assertEquals(2, keys.scheduled(50_000, MAX_AGE).size());
        FleetKey unseen = key(4);
        keys = keys.with(unseen);
        FleetKeys pruned = keys.pruned(schedule.openUntil(5));
        assertEquals(1, pruned.size());
        assertTrue(unseen.scheduled(0) == null, "a key no ring had was not cleansed");
        assertTrue(handedOut.scheduled(0) != null, "a ring's key was cleansed by the source");
        assertSame(pruned, pruned.pruned(schedule.openUntil(5)));
    }

    @Test
    void anotherKeyForAHeldPeriodSupersedesItAndItOnlyOpens() throws Exception {
        FleetKey mine = key(5);
        FleetKey theirs = key(5);
        FleetKeys keys = FleetKeys.NONE.with(mine).with(theirs);
        assertEquals(2, keys.size());
        assertSame(theirs, keys.get(5));
        List<ScheduledKey> scheduled = keys.scheduled(51_000, MAX_AGE);
        assertEquals(2, scheduled.size());
        assertEquals(1, scheduled.stream().filter(key -> key.stateAt(51_000) == KeyState.SEALING).count());
        assertEquals(KeyState.OPEN_ONLY, scheduled.get(1).stateAt(51_000), "the superseded key still seals");
    }
}
