package io.ticketkeeper;

/**
 * A server connection's TLS 1.3 early data (SSL_get_early_data_status), for an application that must answer a
 * request that came as early data with 425 Too Early or mark it ({@code Early-Data: 1}, RFC 8470).
 */
public enum EarlyDataStatus {
    /** The client sent none (or the connection did not resume a TLS 1.3 session). */
    NOT_SENT,
    /** Sent and refused: OpenSSL skipped it and the client must send it again after the handshake. */
    REJECTED,
    /** Sent and accepted: it arrived before the handshake finished, and may be a replay unless a record refused. */
    ACCEPTED
}
