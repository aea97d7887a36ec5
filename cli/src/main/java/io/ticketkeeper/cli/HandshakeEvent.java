package io.ticketkeeper.cli;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketKey;

import java.util.HexFormat;

/**
 * One connection to {@code serve}, as its log line tells it.
 *
 * @param presentedKey the name prefix of the key a presented ticket named, "unknown" when not published, or null
 *     when no ticket was presented
 * @param sealingKey the name prefix of the key that sealed the tickets sent, or null when none was sent
 * @param clientCertificateSha256 the client certificate's SHA-256 fingerprint, or null
 * @param error why the connection failed, or null
 * @param earlyData "accepted(N bytes)" or "rejected" when the client offered TLS 1.3 early data, else null
 */
record HandshakeEvent(long number, String peer, String version, boolean resumed, String presentedKey,
        KeyDecision keyDecision, SessionDecision sessionDecision, int ticketsSealed, String sealingKey,
        byte[] clientCertificateSha256, String error, String earlyData) {

    static HandshakeEvent failed(long number, String peer, String error) {
        return new HandshakeEvent(number, peer, null, false, null, null, null, 0, null, null, error, null);
    }

    static HandshakeEvent of(long number, String peer, String version, boolean resumed,
            DecisionRecorder.Decisions decisions, byte[] clientCertificateSha256, String earlyData) {
        String presented = decisions.presentedSlot == -2 ? null
                : decisions.presentedSlot < 0 ? "unknown" : keyName(decisions.presentedKeys, decisions.presentedSlot);
        String sealing = decisions.ticketsSealed == 0 ? null
                : keyName(decisions.sealingKeys, decisions.sealingSlot);
        return new HandshakeEvent(number, peer, version, resumed, presented, decisions.keyDecision,
                decisions.sessionDecision, decisions.ticketsSealed, sealing, clientCertificateSha256, null, earlyData);
    }

    /** A resumption that sent the client new tickets. */
    boolean renewed() {
        return resumed && ticketsSealed > 0;
    }

    boolean failed() {
        return error != null;
    }

    /** The log line: one per connection, fields as key=value so they can be grepped. */
    String logLine() {
        if (failed()) {
            return "#" + number + " " + peer + " failed: " + error;
        }
        StringBuilder line = new StringBuilder("#").append(number).append(' ').append(peer).append(' ')
                .append(version).append(resumed ? " resumed" : " full");
        if (resumed && presentedKey == null) {
            line.append(" by-session-id");
        }
        if (presentedKey != null) {
            line.append(" ticket-key=").append(presentedKey)
                    .append(" decision=").append(keyDecision)
                    .append(sessionDecision == null ? "" : "/" + sessionDecision);
        }
        line.append(renewed() ? " renewed" : "");
        line.append(" tickets-sent=").append(ticketsSealed);
        if (sealingKey != null) {
            line.append(" sealed-by=").append(sealingKey);
        }
        if (earlyData != null) {
            line.append(" early-data=").append(earlyData);
        }
        if (clientCertificateSha256 != null) {
            line.append(" client-cert=").append(HexFormat.of().formatHex(clientCertificateSha256, 0, 8)).append('…');
        }
        return line.toString();
    }

    private static String keyName(KeySnapshot keys, int slot) {
        if (keys == null || slot < 0 || slot >= keys.size()) {
            return "?";
        }
        return namePrefix(keys.key(slot));
    }

    /** The first four bytes of a key's name in hex: enough to tell keys apart, never the secrets. */
    static String namePrefix(TicketKey key) {
        return HexFormat.of().formatHex(key.name(), 0, 4) + "…";
    }
}
