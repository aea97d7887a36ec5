package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.ShimResults;
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
    void resultCodesMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_OK(), ShimResults.OK);
        assertEquals(TicketKeeperShim.TK_ERR_NULL(), ShimResults.ERR_NULL);
        assertEquals(TicketKeeperShim.TK_ERR_BAD_ARG(), ShimResults.ERR_BAD_ARG);
        assertEquals(TicketKeeperShim.TK_ERR_NOMEM(), ShimResults.ERR_NOMEM);
        assertEquals(TicketKeeperShim.TK_ERR_BUFFER_TOO_SMALL(), ShimResults.ERR_BUFFER_TOO_SMALL);
        assertEquals(TicketKeeperShim.TK_ERR_OPENSSL(), ShimResults.ERR_OPENSSL);
        assertEquals(TicketKeeperShim.TK_ERR_CLOSED(), ShimResults.ERR_CLOSED);
        assertEquals(TicketKeeperShim.TK_ERR_ATTACHED(), ShimResults.ERR_ATTACHED);
        assertEquals(TicketKeeperShim.TK_ERR_NOT_ATTACHED(), ShimResults.ERR_NOT_ATTACHED);
        assertEquals(TicketKeeperShim.TK_ERR_CONTEXT_FREED(), ShimResults.ERR_CONTEXT_FREED);
        assertEquals(TicketKeeperShim.TK_ERR_BAD_KEY(), ShimResults.ERR_BAD_KEY);
        assertEquals(TicketKeeperShim.TK_ERR_DUPLICATE_KEY(), ShimResults.ERR_DUPLICATE_KEY);
        assertEquals(TicketKeeperShim.TK_ERR_TOO_MANY_KEYS(), ShimResults.ERR_TOO_MANY_KEYS);
        assertEquals(TicketKeeperShim.TK_ERR_BAD_SESSION(), ShimResults.ERR_BAD_SESSION);
    }

    @Test
    void sessionBoundsMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_SESSION_MAX_DER_LEN(), SessionCacheBridge.MAX_SESSION_BYTES);
        assertEquals(TicketKeeperShim.TK_SESSION_ID_MAX_LEN(), SessionId.MAX_LENGTH);
    }
}
