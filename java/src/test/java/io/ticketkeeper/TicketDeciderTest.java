package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.internal.SessionView;
import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketCounters;
import io.ticketkeeper.internal.TicketDecider;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    private static final long OTHER_HOST = 0x0fed_cba9_8765_4321L;

    /** A view of an opened ticket stamped for {@code hostId}, presented on {@code contextId} with {@code sni}. */
    private static SessionView presented(TicketDecider decider, int contextId, long hostId, String sni) {
        SessionView view = decider.sessionView().fill(contextId, TicketDecider.TICKET_OPENED, TicketSession.TLS1_3,
                false, 0, KeySnapshot.EMPTY, 0, true, 0, 0, 0, hostId);
        if (sni != null) {
            byte[] name = sni.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(name, 0, view.serverNameBuffer(), 0, name.length);
            view.serverNameFilled(name.length);
        }
        return view;
    }

    /**
     * Issue 18, item 1 after a servername callback: with followServerName, a ticket is decided (and counted) for
     * the attached context its server name names (case and one trailing dot ignored, a sharing group's names
     * included); a name no attached context serves, no name, and the option off leave the connection's context.
     */
    @Test
    void theServerNameChoosesTheContextAmongTheAttachedOnesOnly() {
        TicketPolicy accepting = new TicketPolicy() {
            @Override
            public int selectKey(KeySnapshot keys, long nowMillis) {
                return -1;
            }

            @Override
            public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
                return KeyDecision.USE;
            }

            @Override
            public SessionDecision decideSession(TicketSession session) {
                return SessionDecision.USE;
            }
        };
        TicketDecider decider = new TicketDecider(accepting, Clock.systemUTC(), KeySnapshot.EMPTY, true);
        TicketCounters countersA = new TicketCounters();
        TicketCounters countersB = new TicketCounters();
        int a = decider.addContext(new TicketDecider.Context(HOST, countersA, "a.test", false, Set.of("a.test")));
        decider.addContext(new TicketDecider.Context(OTHER_HOST, countersB, "b.test", false,
                List.of("b.test", "d.test")));
        assertEquals(TicketDecider.SESSION_USE, decider.session(presented(decider, a, OTHER_HOST, "B.Test.")));
        assertEquals(TicketDecider.SESSION_USE, decider.session(presented(decider, a, OTHER_HOST, "d.test")));
        assertEquals(2, countersB.stats(ShimStats.NONE).resumed());
        assertEquals(0, countersA.stats(ShimStats.NONE).resumed());
        for (String refused : new String[] {"a.test", "c.test", "b.test..", "b.tes", "xb.test", "", null}) {
            assertEquals(TicketDecider.SESSION_IGNORE_RENEW,
                    decider.session(presented(decider, a, OTHER_HOST, refused)), "server name " + refused);
        }
        assertEquals(7, countersA.stats(ShimStats.NONE).rejectedOtherHost());
        assertEquals(0, countersB.stats(ShimStats.NONE).rejectedOtherHost());

        TicketDecider off = decider();
        int offA = off.addContext(new TicketDecider.Context(HOST, new TicketCounters(), "a.test", false,
                Set.of("a.test")));
        off.addContext(new TicketDecider.Context(OTHER_HOST, new TicketCounters(), "b.test", false,
                Set.of("b.test")));
        assertEquals(TicketDecider.SESSION_IGNORE_RENEW, off.session(presented(off, offA, OTHER_HOST, "b.test")),
                "followed the server name with the option off");
    }

    /** The server name as a policy sees it: as sent, and only when sent. */
    @Test
    void aPolicySeesTheServerNameAsSent() {
        TicketDecider decider = decider();
        SessionView view = presented(decider, 0, HOST, "B.test.");
        assertEquals(Optional.of("B.test."), view.serverName());
        assertTrue(view.serverNameIs("b.test".getBytes(StandardCharsets.UTF_8)));
        assertFalse(view.serverNameIs("b.test.".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), presented(decider, 0, HOST, null).serverName());
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
