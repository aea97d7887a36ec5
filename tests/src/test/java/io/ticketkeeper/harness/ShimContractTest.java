package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.session.SessionId;

import org.junit.jupiter.api.Test;

/** The codes the release-17 decider returns are the ones the header defines (read through jextract's bindings). */
class ShimContractTest {
    @Test
    void decisionCodesMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_KEY_ABORT(), TicketDecider.KEY_ABORT);
        assertEquals(TicketKeeperShim.TK_KEY_REJECT(), TicketDecider.KEY_REJECT);
        assertEquals(TicketKeeperShim.TK_KEY_USE(), TicketDecider.KEY_USE);
        assertEquals(TicketKeeperShim.TK_KEY_RENEW(), TicketDecider.KEY_RENEW);
        assertEquals(TicketKeeperShim.TK_SESSION_ABORT(), TicketDecider.SESSION_ABORT);
        assertEquals(TicketKeeperShim.TK_SESSION_IGNORE(), TicketDecider.SESSION_IGNORE);
        assertEquals(TicketKeeperShim.TK_SESSION_IGNORE_RENEW(), TicketDecider.SESSION_IGNORE_RENEW);
        assertEquals(TicketKeeperShim.TK_SESSION_USE(), TicketDecider.SESSION_USE);
        assertEquals(TicketKeeperShim.TK_SESSION_USE_RENEW(), TicketDecider.SESSION_USE_RENEW);
    }

    @Test
    void sessionBoundsMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_SESSION_MAX_DER_LEN(), SessionCacheBridge.MAX_SESSION_BYTES);
        assertEquals(TicketKeeperShim.TK_SESSION_ID_MAX_LEN(), SessionId.MAX_LENGTH);
    }
}
