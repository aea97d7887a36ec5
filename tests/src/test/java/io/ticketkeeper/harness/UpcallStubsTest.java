package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketSession;
import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.Backends;
import io.ticketkeeper.internal.ShimCodes;
import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketCounters;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.internal.UpcallStubs;

import com.sun.jna.Function;
import com.sun.jna.Pointer;

import java.time.Clock;

import org.junit.jupiter.api.Test;

/**
 * The upcalls exactly as a backend installs them (FFM's stubs, the JNI bridge's functions, JNA's callbacks), called
 * through their C addresses with the user pointer the shim passes: each reaches its own handle's decider, and on the
 * JNI bridge an upcall without its user pointer gets the safe outcome.
 */
class UpcallStubsTest {
    /** Renews every known key; every decider over it answers the open upcall the same way. */
    private static final TicketPolicy RENEWING = new TicketPolicy() {
        @Override
        public int selectKey(KeySnapshot keys, long nowMillis) {
            return NO_TICKET;
        }

        @Override
        public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
            return KeyDecision.RENEW;
        }

        @Override
        public SessionDecision decideSession(TicketSession session) {
            return SessionDecision.USE;
        }
    };

    private static int open(UpcallStubs stubs, long user, int slot) {
        return Function.getFunction(new Pointer(stubs.open())).invokeInt(new Object[] {user, 0L, 0L, slot});
    }

    @Test
    void eachHandlesUpcallsReachItsOwnDecider() {
        Backend backend = Backends.get();
        KeySnapshot keys;
        try (TicketKeeperHandle handle = TicketKeeper.install(TicketKeeperOptions.builder().keys(TicketKey.generate())
                .build())) {
            keys = handle.keys();
        }
        TicketDecider first = new TicketDecider(RENEWING, Clock.systemUTC(), keys);
        TicketDecider second = new TicketDecider(RENEWING, Clock.systemUTC(), keys);
        TicketCounters firstCounters = new TicketCounters();
        TicketCounters secondCounters = new TicketCounters();
        first.addContext(new TicketDecider.Context(1, firstCounters, "first"));
        second.addContext(new TicketDecider.Context(2, secondCounters, "second"));
        try (UpcallStubs a = backend.upcallStubs(first); UpcallStubs b = backend.upcallStubs(second)) {
            // Slot -1: an unknown key, rejected and counted for the context id 0 of the decider the call reached.
            assertEquals(ShimCodes.KEY_REJECT, open(a, a.user(), -1));
            assertEquals(ShimCodes.KEY_REJECT, open(b, b.user(), -1));
            assertEquals(ShimCodes.KEY_REJECT, open(b, b.user(), -1));
            assertEquals(1, firstCounters.stats(ShimStats.NONE).rejectedUnknownKey());
            assertEquals(2, secondCounters.stats(ShimStats.NONE).rejectedUnknownKey());
            if ("jni".equals(backend.upcalls())) {
                // The JNI bridge: its functions serve every handle, and find theirs only through the user pointer.
                assertNotEquals(0, a.user());
                assertNotEquals(a.user(), b.user());
                assertEquals(ShimCodes.KEY_REJECT, open(a, 0, -1));
                assertEquals(1, firstCounters.stats(ShimStats.NONE).rejectedUnknownKey());
            }
        }
    }
}
