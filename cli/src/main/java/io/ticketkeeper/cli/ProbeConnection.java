package io.ticketkeeper.cli;

import java.util.HexFormat;

/**
 * One connection of a probe.
 *
 * @param number 1 for the first connection
 * @param reused the server resumed the offered session
 * @param version the negotiated version, or null when the connection failed
 * @param sessionId the session id afterwards (empty under TLS 1.3 tickets with no id)
 * @param ticket the ticket the client holds afterwards, empty when none
 * @param lifetimeHintSeconds the ticket's lifetime hint, 0 when none
 * @param ticketChanged the client holds a different ticket than the one it offered (a renewal, when reused)
 * @param offered the client offered a session
 * @param serverOutcome how the server says the handshake went ({@link ResumptionOutcome}'s header, sent by
 *     {@code serve}), or null when it says nothing
 * @param error why the connection failed, or null
 * @param target which of the probe's targets the connection went to (0 with one target)
 * @param offeredFrom which target handed out the offered session, or -1 when none was offered
 * @param earlyData "accepted" or "rejected" when the request went as TLS 1.3 early data ({@code probe
 *     --early-data}), else null
 */
record ProbeConnection(int number, boolean reused, String version, byte[] sessionId, byte[] ticket,
        long lifetimeHintSeconds, boolean ticketChanged, boolean offered, String serverOutcome, String error,
        int target, int offeredFrom, String earlyData) {

    ProbeConnection(int number, boolean reused, String version, byte[] sessionId, byte[] ticket,
            long lifetimeHintSeconds, boolean ticketChanged, boolean offered, String serverOutcome, String error) {
        this(number, reused, version, sessionId, ticket, lifetimeHintSeconds, ticketChanged, offered, serverOutcome,
                error, 0, offered ? 0 : -1, null);
    }

    /** This connection, with what became of its early data. */
    ProbeConnection withEarlyData(String state) {
        return new ProbeConnection(number, reused, version, sessionId, ticket, lifetimeHintSeconds, ticketChanged,
                offered, serverOutcome, error, target, offeredFrom, state);
    }

    /** This connection, as one to {@code target} offering a session from {@code offeredFrom} (-1: none). */
    ProbeConnection at(int target, int offeredFrom) {
        return new ProbeConnection(number, reused, version, sessionId, ticket, lifetimeHintSeconds, ticketChanged,
                offered, serverOutcome, error, target, offered ? offeredFrom : -1, earlyData);
    }

    /** The offered session came from another target than the one it was offered to. */
    boolean acrossTargets() {
        return offered && offeredFrom >= 0 && offeredFrom != target;
    }

    static ProbeConnection failed(int number, boolean offered, String error) {
        return new ProbeConnection(number, false, null, new byte[0], new byte[0], 0, false, offered, null, error);
    }

    boolean failed() {
        return error != null;
    }

    /** Reused with a new ticket. */
    boolean renewed() {
        return reused && ticketChanged;
    }

    /** The ticket's first and last four bytes in hex (the start is the key name in most servers' formats). */
    String ticketShort() {
        return shorten(ticket);
    }

    String sessionIdShort() {
        return shorten(sessionId);
    }

    static String shorten(byte[] bytes) {
        if (bytes.length == 0) {
            return "-";
        }
        HexFormat hex = HexFormat.of();
        if (bytes.length <= 8) {
            return hex.formatHex(bytes);
        }
        return hex.formatHex(bytes, 0, 4) + "…" + hex.formatHex(bytes, bytes.length - 4, bytes.length);
    }
}
