package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketCounters;
import io.ticketkeeper.internal.TicketDecider;

import java.time.Clock;

import org.junit.jupiter.api.Test;

/** The decider's fail-closed answers, called as the upcalls call it. */
class TicketDeciderTest {
    private static final long HOST = 0x1234_5678_9abc_def0L;

    private static TicketDecider decider() {
        return new TicketDecider(TicketPolicy.defaults(), Clock.systemUTC(), KeySnapshot.EMPTY);
    }

    /** Issue 18, item 4: no stamp (so no ticket, which the shim counts) for a context id that names no attached
     * context. */
    @Test
    void theStampOfAnUnknownContextIsRefusedAndCounted() {
        TicketDecider decider = decider();
        int id = decider.addContext(new TicketDecider.Context(HOST, new TicketCounters(), "a.test", false));
        assertEquals(HOST, decider.stampHostId(id));
        assertEquals(0, decider.stampHostId(id + 1));
        assertEquals(0, decider.stampHostId(-1));
        decider.removeContext(id);
        assertEquals(0, decider.stampHostId(id), "a detached context still got a stamp");
        decider.stampFailed(new IllegalStateException("a failure in the stamp upcall"));
        TicketStats stats = decider.stats(ShimStats.NONE);
        assertEquals(1, stats.upcallErrors(), stats::toString);
    }

    /**
     * Issue 18, item 10: when counting or logging a policy failure fails too (here: a context without counters, as
     * a bug elsewhere would leave it, so counting throws), the decider still answers safely and counts the failure
     * by its last resort; nothing is thrown at the upcall.
     */
    @Test
    void aFailureWhileCountingAPolicyErrorStillGetsTheSafeOutcome() {
        TicketPolicy throwing = new TicketPolicy() {
            @Override
            public int selectKey(KeySnapshot keys, long nowMillis) {
                throw new StackOverflowError("constructed");
            }

            @Override
            public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
                throw new OutOfMemoryError("constructed");
            }

            @Override
            public SessionDecision decideSession(TicketSession session) {
                throw new StackOverflowError("constructed");
            }
        };
        TicketDecider decider = new TicketDecider(throwing, Clock.systemUTC(), KeySnapshot.EMPTY);
        int id = decider.addContext(new TicketDecider.Context(HOST, null, "broken", false));
        assertEquals(TicketDecider.KEY_REJECT, decider.open(id, 0, 0));
        assertEquals(-1, decider.seal(id, KeySnapshot.EMPTY.generation(), 0));
        decider.upcallFailed("test", new OutOfMemoryError("constructed"));
        TicketStats stats = decider.stats(ShimStats.NONE);
        assertEquals(2, stats.policyErrors(), "counted before the context's counters failed: " + stats);
        assertEquals(3, stats.upcallErrors(), "two by the last resort, one the usual way: " + stats);
    }
}
