package io.ticketkeeper;

/** What to do with a presented ticket, judged by the key that sealed it. */
public enum KeyDecision {
    /** Decrypt the ticket with its key. */
    USE,
    /** Decrypt the ticket and send the client a renewed ticket. */
    RENEW,
    /** Do not decrypt the ticket: a full handshake follows and the client gets a fresh ticket. */
    REJECT,
    /** Fail the handshake. */
    ABORT
}
