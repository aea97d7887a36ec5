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
 */
record ProbeConnection(int number, boolean reused, String version, byte[] sessionId, byte[] ticket,
        long lifetimeHintSeconds, boolean ticketChanged, boolean offered, String serverOutcome, String error) {

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
