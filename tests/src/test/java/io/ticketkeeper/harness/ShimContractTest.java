package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_key;
import io.ticketkeeper.internal.ContextCodes;
import io.ticketkeeper.internal.KeyLayout;
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
        assertEquals(TicketKeeperShim.TK_TICKET_EMPTY(), TicketDecider.TICKET_EMPTY);
        assertEquals(TicketKeeperShim.TK_TICKET_NOT_OPENED(), TicketDecider.TICKET_NOT_OPENED);
        assertEquals(TicketKeeperShim.TK_TICKET_OPENED(), TicketDecider.TICKET_OPENED);
        assertEquals(TicketKeeperShim.TK_TICKET_OPENED_RENEW(), TicketDecider.TICKET_OPENED_RENEW);
        assertEquals(TicketKeeperShim.TK_TICKET_FOREIGN(), TicketDecider.TICKET_FOREIGN);
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

    /** TicketKey's off-heap copy is published byte for byte as an array of tk_key: the layouts must agree. */
    @Test
    void keyLayoutMatchesTheHeader() {
        assertEquals(tk_key.layout().byteSize(), KeyLayout.SIZE);
        assertEquals(tk_key.name$offset(), KeyLayout.NAME_OFFSET);
        assertEquals(tk_key.name$layout().byteSize(), KeyLayout.NAME_LENGTH);
        assertEquals(tk_key.hmac_key$offset(), KeyLayout.HMAC_KEY_OFFSET);
        assertEquals(tk_key.hmac_key$layout().byteSize(), KeyLayout.SECRET_CAPACITY);
        assertEquals(tk_key.aes_key$offset(), KeyLayout.AES_KEY_OFFSET);
        assertEquals(tk_key.aes_key$layout().byteSize(), KeyLayout.SECRET_CAPACITY);
        assertEquals(tk_key.hmac_key_len$offset(), KeyLayout.HMAC_KEY_LEN_OFFSET);
        assertEquals(tk_key.aes_key_len$offset(), KeyLayout.AES_KEY_LEN_OFFSET);
        assertEquals(TicketKeeperShim.TK_KEY_NAME_LEN(), KeyLayout.NAME_LENGTH);
        assertEquals(TicketKeeperShim.TK_MAX_SECRET_LEN(), KeyLayout.SECRET_CAPACITY);
    }

    @Test
    void contextCodesMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_CONTEXT_ATTACHED(), ContextCodes.ATTACHED);
        assertEquals(TicketKeeperShim.TK_CONTEXT_DETACHED(), ContextCodes.DETACHED);
        assertEquals(TicketKeeperShim.TK_CONTEXT_FREED(), ContextCodes.FREED);
        assertEquals(TicketKeeperShim.TK_FINDING_NO_TICKET(), ContextCodes.FINDING_NO_TICKET);
        assertEquals(TicketKeeperShim.TK_FINDING_CACHE_CALLBACKS_REPLACED(),
                ContextCodes.FINDING_CACHE_CALLBACKS_REPLACED);
    }

    @Test
    void sessionBoundsMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_SESSION_MAX_DER_LEN(), SessionCacheBridge.MAX_SESSION_BYTES);
        assertEquals(TicketKeeperShim.TK_SESSION_ID_MAX_LEN(), SessionId.MAX_LENGTH);
    }
}
