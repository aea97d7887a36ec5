package io.ticketkeeper;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A presented ticket as the session-level decision sees it. An instance is only valid during the call of
 * {@link TicketPolicy#decideSession}: it is reused for the next handshake on the same thread, so copy what must be
 * kept.
 */
public interface TicketSession {
    /** TLS 1.2 as OpenSSL numbers protocol versions. */
    int TLS1_2 = 0x0303;
    /** TLS 1.3 as OpenSSL numbers protocol versions. */
    int TLS1_3 = 0x0304;

    /** Whether the ticket was opened; when false, no other property is known. */
    boolean opened();

    /** Whether the key decision asked for a renewed ticket ({@link KeyDecision#RENEW}). */
    boolean renewRequested();

    /** The session's protocol version, e.g. {@link #TLS1_2} or {@link #TLS1_3}; 0 when not opened. */
    int protocolVersion();

    default boolean isTls13() {
        return protocolVersion() == TLS1_3;
    }

    /** Whether the session carries the client's certificate. */
    boolean hasPeerCertificate();

    /**
     * When TicketKeeper first issued a ticket for this session, by the handle's clock, or -1 when the ticket carries
     * no stamp. Renewals keep it: a ticket renewed from another carries the same session (and master secret), so
     * it carries the first ticket's time, and a chain of renewals ages as one session.
     */
    long issuedAtMillis();

    /**
     * The ticket's age by the handle's clock: since its session was first issued a ticket when it carries
     * TicketKeeper's stamp (renewals do not make it younger), else since OpenSSL created the session. -1 when not
     * opened.
     */
    long ageMillis();

    /** The key ring generation when the ticket was sealed, or -1 when the ticket carries no stamp. */
    long issuedUnderGeneration();

    /** The application tag stamped into the ticket, or 0. */
    long tag();

    /** The slot of the key that opened the ticket in {@link #keys()}, or -1. */
    int keySlot();

    /** The published keys the ticket was looked up in. */
    KeySnapshot keys();

    /** The handle's clock time of this decision, in ms since the epoch. */
    long nowMillis();

    /**
     * The SHA-256 fingerprint of the client certificate (of its DER encoding) as a read-only view valid only during
     * the call: 32 bytes remaining, or none when the session carries no client certificate (never null, and no
     * allocation per call).
     */
    ByteBuffer peerCertificateSha256();

    /**
     * The host name the client sent in its server_name extension (SNI) with this ticket, as sent (case and a
     * trailing dot kept; decoded as ISO-8859-1, so every byte maps to one char), or empty when it sent none or a
     * malformed one. It names the host the client means, which may differ from the context the ticket is decided
     * on when the server switches contexts in a servername callback. Unlike the other properties, this one
     * allocates on every call; the built-in checks never call it.
     */
    default Optional<String> serverName() {
        return Optional.empty();
    }
}
