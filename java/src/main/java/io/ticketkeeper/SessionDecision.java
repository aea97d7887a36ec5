package io.ticketkeeper;

/**
 * What to do with a presented ticket once it is decrypted and its session is in view. These are OpenSSL's
 * {@code SSL_TICKET_RETURN} values; {@link #USE} and {@link #USE_RENEW} only apply to decrypted tickets and are
 * treated as {@link #IGNORE_RENEW} otherwise.
 */
public enum SessionDecision {
    /** Resume the session; the client keeps its ticket. */
    USE,
    /** Resume the session and send the client a renewed ticket. */
    USE_RENEW,
    /** Do not resume (full handshake) and send no new ticket. */
    IGNORE,
    /** Do not resume (full handshake) and send a new ticket. */
    IGNORE_RENEW,
    /** Fail the handshake. */
    ABORT
}
