package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_cache_stats;
import io.ticketkeeper.ffm.shim.tk_cache_upcalls;
import io.ticketkeeper.ffm.shim.tk_key;
import io.ticketkeeper.ffm.shim.tk_early_data_view;
import io.ticketkeeper.ffm.shim.tk_session_view;
import io.ticketkeeper.ffm.shim.tk_stats;
import io.ticketkeeper.ffm.shim.tk_ticket_stamp;
import io.ticketkeeper.ffm.shim.tk_upcalls;
import io.ticketkeeper.internal.KeyLayout;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.ShimLayout;
import io.ticketkeeper.internal.ShimCodes;
import io.ticketkeeper.openssl.LibSsl;
import io.ticketkeeper.openssl.ffm.OpenSsl;
import io.ticketkeeper.session.SessionId;

import org.junit.jupiter.api.Test;

/**
 * What the release-17 code keeps as plain numbers (the shim's codes, the layouts the upcall body and the JNA backend
 * read, the OpenSSL constants of the harness's binding) equals what the headers define, as jextract reads them.
 */
class ShimContractFfmTest {
    /** ShimCodes is the Java side of the header's codes: every one of them, held to the header here. */
    @Test
    void theCodesMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_OK(), ShimCodes.OK);
        assertEquals(TicketKeeperShim.TK_ERR_NULL(), ShimCodes.ERR_NULL);
        assertEquals(TicketKeeperShim.TK_ERR_BAD_ARG(), ShimCodes.ERR_BAD_ARG);
        assertEquals(TicketKeeperShim.TK_ERR_NOMEM(), ShimCodes.ERR_NOMEM);
        assertEquals(TicketKeeperShim.TK_ERR_BUFFER_TOO_SMALL(), ShimCodes.ERR_BUFFER_TOO_SMALL);
        assertEquals(TicketKeeperShim.TK_ERR_OPENSSL(), ShimCodes.ERR_OPENSSL);
        assertEquals(TicketKeeperShim.TK_ERR_CLOSED(), ShimCodes.ERR_CLOSED);
        assertEquals(TicketKeeperShim.TK_ERR_ATTACHED(), ShimCodes.ERR_ATTACHED);
        assertEquals(TicketKeeperShim.TK_ERR_NOT_ATTACHED(), ShimCodes.ERR_NOT_ATTACHED);
        assertEquals(TicketKeeperShim.TK_ERR_CONTEXT_FREED(), ShimCodes.ERR_CONTEXT_FREED);
        assertEquals(TicketKeeperShim.TK_ERR_BAD_KEY(), ShimCodes.ERR_BAD_KEY);
        assertEquals(TicketKeeperShim.TK_ERR_DUPLICATE_KEY(), ShimCodes.ERR_DUPLICATE_KEY);
        assertEquals(TicketKeeperShim.TK_ERR_TOO_MANY_KEYS(), ShimCodes.ERR_TOO_MANY_KEYS);
        assertEquals(TicketKeeperShim.TK_ERR_BAD_SESSION(), ShimCodes.ERR_BAD_SESSION);
        assertEquals(TicketKeeperShim.TK_ERR_FOREIGN_CONTEXT(), ShimCodes.ERR_FOREIGN_CONTEXT);

        assertEquals(TicketKeeperShim.TK_SEAL_NONE(), ShimCodes.SEAL_NONE);
        assertEquals(TicketKeeperShim.TK_SEAL_CHOSEN(), ShimCodes.SEAL_CHOSEN);
        assertEquals(TicketKeeperShim.TK_STAMP_NONE(), ShimCodes.STAMP_NONE);
        assertEquals(TicketKeeperShim.TK_STAMP_STORED(), ShimCodes.STAMP_STORED);
        assertEquals(TicketKeeperShim.TK_KEY_ABORT(), ShimCodes.KEY_ABORT);
        assertEquals(TicketKeeperShim.TK_KEY_REJECT(), ShimCodes.KEY_REJECT);
        assertEquals(TicketKeeperShim.TK_KEY_USE(), ShimCodes.KEY_USE);
        assertEquals(TicketKeeperShim.TK_KEY_RENEW(), ShimCodes.KEY_RENEW);
        assertEquals(TicketKeeperShim.TK_SESSION_ABORT(), ShimCodes.SESSION_ABORT);
        assertEquals(TicketKeeperShim.TK_SESSION_IGNORE(), ShimCodes.SESSION_IGNORE);
        assertEquals(TicketKeeperShim.TK_SESSION_IGNORE_RENEW(), ShimCodes.SESSION_IGNORE_RENEW);
        assertEquals(TicketKeeperShim.TK_SESSION_USE(), ShimCodes.SESSION_USE);
        assertEquals(TicketKeeperShim.TK_SESSION_USE_RENEW(), ShimCodes.SESSION_USE_RENEW);
        assertEquals(TicketKeeperShim.TK_TICKET_EMPTY(), ShimCodes.TICKET_EMPTY);
        assertEquals(TicketKeeperShim.TK_TICKET_NOT_OPENED(), ShimCodes.TICKET_NOT_OPENED);
        assertEquals(TicketKeeperShim.TK_TICKET_OPENED(), ShimCodes.TICKET_OPENED);
        assertEquals(TicketKeeperShim.TK_TICKET_OPENED_RENEW(), ShimCodes.TICKET_OPENED_RENEW);
        assertEquals(TicketKeeperShim.TK_TICKET_FOREIGN(), ShimCodes.TICKET_FOREIGN);

        assertEquals(TicketKeeperShim.TK_CONTEXT_ATTACHED(), ShimCodes.CONTEXT_ATTACHED);
        assertEquals(TicketKeeperShim.TK_CONTEXT_DETACHED(), ShimCodes.CONTEXT_DETACHED);
        assertEquals(TicketKeeperShim.TK_CONTEXT_FREED(), ShimCodes.CONTEXT_FREED);
        assertEquals(TicketKeeperShim.TK_FINDING_NO_TICKET(), ShimCodes.FINDING_NO_TICKET);
        assertEquals(TicketKeeperShim.TK_FINDING_CACHE_CALLBACKS_REPLACED(),
                ShimCodes.FINDING_CACHE_CALLBACKS_REPLACED);
        assertEquals(TicketKeeperShim.TK_CACHE_EXTERNAL(), ShimCodes.CACHE_EXTERNAL);
        assertEquals(TicketKeeperShim.TK_CACHE_INTERNAL(), ShimCodes.CACHE_INTERNAL);
        assertEquals(TicketKeeperShim.TK_EARLY_DATA_REFUSE(), ShimCodes.EARLY_DATA_REFUSE);
        assertEquals(TicketKeeperShim.TK_EARLY_DATA_ACCEPT(), ShimCodes.EARLY_DATA_ACCEPT);
        assertEquals(TicketKeeperShim.TK_EARLY_DATA_NOT_SENT(), ShimCodes.EARLY_DATA_NOT_SENT);
        assertEquals(TicketKeeperShim.TK_EARLY_DATA_REJECTED(), ShimCodes.EARLY_DATA_REJECTED);
        assertEquals(TicketKeeperShim.TK_EARLY_DATA_ACCEPTED(), ShimCodes.EARLY_DATA_ACCEPTED);
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
    void theReleaseSeventeenLayoutsMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_API_VERSION(), ShimLayout.API_VERSION);
        assertEquals(tk_session_view.layout().byteSize(), ShimLayout.VIEW_SIZE);
        assertEquals(tk_session_view.context_id$offset(), ShimLayout.VIEW_CONTEXT_ID);
        assertEquals(tk_session_view.status$offset(), ShimLayout.VIEW_STATUS);
        assertEquals(tk_session_view.protocol_version$offset(), ShimLayout.VIEW_PROTOCOL_VERSION);
        assertEquals(tk_session_view.has_peer_certificate$offset(), ShimLayout.VIEW_HAS_PEER_CERTIFICATE);
        assertEquals(tk_session_view.has_stamp$offset(), ShimLayout.VIEW_HAS_STAMP);
        assertEquals(tk_session_view.session_time_s$offset(), ShimLayout.VIEW_SESSION_TIME_S);
        assertEquals(tk_session_view.key_generation$offset(), ShimLayout.VIEW_KEY_GENERATION);
        assertEquals(tk_session_view.key_slot$offset(), ShimLayout.VIEW_KEY_SLOT);
        assertEquals(tk_session_view.has_peer_sha256$offset(), ShimLayout.VIEW_HAS_PEER_SHA256);
        assertEquals(tk_session_view.stamp$offset(), ShimLayout.VIEW_STAMP);
        assertEquals(tk_session_view.peer_sha256$offset(), ShimLayout.VIEW_PEER_SHA256);
        assertEquals(tk_session_view.server_name$offset(), ShimLayout.VIEW_SERVER_NAME);
        assertEquals(tk_session_view.server_name$layout().byteSize(), ShimLayout.MAX_SERVER_NAME_LEN);
        assertEquals(TicketKeeperShim.TK_MAX_SERVER_NAME_LEN(), ShimLayout.MAX_SERVER_NAME_LEN);
        assertEquals(tk_session_view.peer_sha256$layout().byteSize(), ShimLayout.SHA256_LEN);
        assertEquals(TicketKeeperShim.TK_SHA256_LEN(), ShimLayout.SHA256_LEN);
        assertEquals(tk_session_view.server_name_len$offset(), ShimLayout.VIEW_SERVER_NAME_LEN);
        assertEquals(tk_session_view.has_ticket_id$offset(), ShimLayout.VIEW_HAS_TICKET_ID);
        assertEquals(tk_session_view.ticket_id$offset(), ShimLayout.VIEW_TICKET_ID);
        assertEquals(tk_session_view.ticket_id$layout().byteSize(), ShimLayout.TICKET_ID_LEN);
        assertEquals(tk_ticket_stamp.layout().byteSize(), ShimLayout.STAMP_SIZE);
        assertEquals(tk_ticket_stamp.issued_at_ms$offset(), ShimLayout.STAMP_ISSUED_AT_MS);
        assertEquals(tk_ticket_stamp.key_generation$offset(), ShimLayout.STAMP_KEY_GENERATION);
        assertEquals(tk_ticket_stamp.tag$offset(), ShimLayout.STAMP_TAG);
        assertEquals(tk_stats.layout().byteSize(), ShimLayout.STATS_SIZE);
        assertEquals(tk_cache_stats.layout().byteSize(), ShimLayout.CACHE_STATS_SIZE);
        assertEquals(tk_stats.unstamped_tickets_refused$offset(), 32);
        assertEquals(tk_upcalls.layout().byteSize(), ShimLayout.UPCALLS_SIZE);
        assertEquals(tk_upcalls.early_data$offset(), ShimLayout.UPCALLS_EARLY_DATA);
        assertEquals(tk_upcalls.user$offset(), ShimLayout.UPCALLS_USER);
        assertEquals(tk_upcalls.seal$offset(), ShimLayout.UPCALLS_SEAL);
        assertEquals(tk_upcalls.open$offset(), ShimLayout.UPCALLS_OPEN);
        assertEquals(tk_upcalls.stamp$offset(), ShimLayout.UPCALLS_STAMP);
        assertEquals(tk_upcalls.session$offset(), ShimLayout.UPCALLS_SESSION);
        assertEquals(tk_cache_upcalls.layout().byteSize(), ShimLayout.CACHE_UPCALLS_SIZE);
        assertEquals(tk_cache_upcalls.user$offset(), ShimLayout.CACHE_UPCALLS_USER);
        assertEquals(tk_cache_upcalls.new_session$offset(), ShimLayout.CACHE_UPCALLS_NEW);
        assertEquals(tk_cache_upcalls.get_session$offset(), ShimLayout.CACHE_UPCALLS_GET);
        assertEquals(tk_cache_upcalls.remove_session$offset(), ShimLayout.CACHE_UPCALLS_REMOVE);
        assertEquals(tk_ticket_stamp.host_id$offset(), ShimLayout.STAMP_HOST_ID);
        assertEquals(tk_early_data_view.layout().byteSize(), ShimLayout.EARLY_SIZE);
        assertEquals(tk_early_data_view.context_id$offset(), ShimLayout.EARLY_CONTEXT_ID);
        assertEquals(tk_early_data_view.protocol_version$offset(), ShimLayout.EARLY_PROTOCOL_VERSION);
        assertEquals(tk_early_data_view.cipher_id$offset(), ShimLayout.EARLY_CIPHER_ID);
        assertEquals(tk_early_data_view.max_early_data$offset(), ShimLayout.EARLY_MAX_EARLY_DATA);
        assertEquals(tk_early_data_view.has_stamp$offset(), ShimLayout.EARLY_HAS_STAMP);
        assertEquals(tk_early_data_view.stamp$offset(), ShimLayout.EARLY_STAMP);
        assertEquals(tk_early_data_view.client_random$offset(), ShimLayout.EARLY_CLIENT_RANDOM);
        assertEquals(tk_early_data_view.server_name$offset(), ShimLayout.EARLY_SERVER_NAME);
        assertEquals(tk_early_data_view.server_name_len$offset(), ShimLayout.EARLY_SERVER_NAME_LEN);
        assertEquals(tk_early_data_view.alpn$offset(), ShimLayout.EARLY_ALPN);
        assertEquals(tk_early_data_view.alpn_len$offset(), ShimLayout.EARLY_ALPN_LEN);
        assertEquals(tk_early_data_view.has_ticket_id$offset(), ShimLayout.EARLY_HAS_TICKET_ID);
        assertEquals(tk_early_data_view.ticket_id$offset(), ShimLayout.EARLY_TICKET_ID);
        assertEquals(TicketKeeperShim.TK_CLIENT_RANDOM_LEN(), ShimLayout.CLIENT_RANDOM_LEN);
        assertEquals(TicketKeeperShim.TK_MAX_ALPN_LEN(), ShimLayout.MAX_ALPN_LEN);
        assertEquals(TicketKeeperShim.TK_SHA256_LEN(), ShimLayout.TICKET_ID_LEN);
    }

    @Test
    void theHarnessOpenSslConstantsMatchOpenSslsHeaders() {
        assertEquals(OpenSsl.SSL_ERROR_WANT_READ(), LibSsl.SSL_ERROR_WANT_READ);
        assertEquals(OpenSsl.SSL_ERROR_WANT_WRITE(), LibSsl.SSL_ERROR_WANT_WRITE);
        assertEquals(OpenSsl.SSL_ERROR_ZERO_RETURN(), LibSsl.SSL_ERROR_ZERO_RETURN);
        assertEquals(OpenSsl.SSL_READ_EARLY_DATA_ERROR(), LibSsl.SSL_READ_EARLY_DATA_ERROR);
        assertEquals(OpenSsl.SSL_READ_EARLY_DATA_SUCCESS(), LibSsl.SSL_READ_EARLY_DATA_SUCCESS);
        assertEquals(OpenSsl.SSL_READ_EARLY_DATA_FINISH(), LibSsl.SSL_READ_EARLY_DATA_FINISH);
        assertEquals(OpenSsl.SSL_EARLY_DATA_NOT_SENT(), LibSsl.SSL_EARLY_DATA_NOT_SENT);
        assertEquals(OpenSsl.SSL_EARLY_DATA_REJECTED(), LibSsl.SSL_EARLY_DATA_REJECTED);
        assertEquals(OpenSsl.SSL_EARLY_DATA_ACCEPTED(), LibSsl.SSL_EARLY_DATA_ACCEPTED);
        assertEquals(OpenSsl.SSL_FILETYPE_PEM(), LibSsl.SSL_FILETYPE_PEM);
        assertEquals(OpenSsl.SSL_OP_NO_TICKET(), LibSsl.SSL_OP_NO_TICKET);
        assertEquals(OpenSsl.SSL_SESS_CACHE_OFF(), LibSsl.SSL_SESS_CACHE_OFF);
        assertEquals(OpenSsl.SSL_SESS_CACHE_SERVER(), LibSsl.SSL_SESS_CACHE_SERVER);
        assertEquals(OpenSsl.SSL_VERIFY_PEER(), LibSsl.SSL_VERIFY_PEER);
        assertEquals(OpenSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT(), LibSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
        assertEquals(OpenSsl.SSL_CTRL_SET_SESS_CACHE_MODE(), LibSsl.SSL_CTRL_SET_SESS_CACHE_MODE);
        assertEquals(OpenSsl.SSL_CTRL_SET_TLSEXT_HOSTNAME(), LibSsl.SSL_CTRL_SET_TLSEXT_HOSTNAME);
        assertEquals(OpenSsl.SSL_CTRL_SET_TLSEXT_TICKET_KEYS(), LibSsl.SSL_CTRL_SET_TLSEXT_TICKET_KEYS);
        assertEquals(OpenSsl.SSL_CTRL_SET_MIN_PROTO_VERSION(), LibSsl.SSL_CTRL_SET_MIN_PROTO_VERSION);
        assertEquals(OpenSsl.SSL_CTRL_SET_MAX_PROTO_VERSION(), LibSsl.SSL_CTRL_SET_MAX_PROTO_VERSION);
        assertEquals(OpenSsl.TLSEXT_NAMETYPE_host_name(), LibSsl.TLSEXT_NAMETYPE_HOST_NAME);
        assertEquals(OpenSsl.MBSTRING_ASC(), LibSsl.MBSTRING_ASC);
        assertEquals(OpenSsl.EVP_PKEY_EC(), LibSsl.EVP_PKEY_EC);
        assertEquals(OpenSsl.NID_X9_62_prime256v1(), LibSsl.NID_X9_62_prime256v1);
        assertEquals(OpenSsl.EVP_PKEY_OP_PARAMGEN(), LibSsl.EVP_PKEY_OP_PARAMGEN);
        assertEquals(OpenSsl.EVP_PKEY_OP_KEYGEN(), LibSsl.EVP_PKEY_OP_KEYGEN);
        assertEquals(OpenSsl.EVP_PKEY_CTRL_EC_PARAMGEN_CURVE_NID(), LibSsl.EVP_PKEY_CTRL_EC_PARAMGEN_CURVE_NID);
    }

    @Test
    void sessionBoundsMatchTheHeader() {
        assertEquals(TicketKeeperShim.TK_SESSION_MAX_DER_LEN(), SessionCacheBridge.MAX_SESSION_BYTES);
        assertEquals(TicketKeeperShim.TK_SESSION_ID_MAX_LEN(), SessionId.MAX_LENGTH);
    }
}
