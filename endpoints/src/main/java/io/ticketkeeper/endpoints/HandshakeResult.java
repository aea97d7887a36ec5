package io.ticketkeeper.endpoints;

/**
 * What one handshake did, as both ends saw it.
 *
 * @param completed both ends finished the handshake and exchanged application data
 * @param resumed the client resumed a session
 * @param version the negotiated version, or null when the handshake failed
 * @param session the session the client holds afterwards (ticket, id), or null; the caller closes it
 * @param serverPeerCertificateSha256 the fingerprint of the client certificate as the server sees it, or null
 * @param error why the handshake failed, or null
 */
public record HandshakeResult(boolean completed, boolean resumed, TlsVersion version, ClientSession session,
        byte[] serverPeerCertificateSha256, String error) implements AutoCloseable {

    static HandshakeResult failed(String error) {
        return new HandshakeResult(false, false, null, null, null, error);
    }

    public boolean hasTicket() {
        return session != null && session.hasTicket();
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }

    @Override
    public String toString() {
        return completed
                ? "HandshakeResult{" + version + (resumed ? ", resumed" : ", full") + ", ticket="
                        + (session == null ? "(no session)" : session.ticketSuffix()) + "}"
                : "HandshakeResult{failed: " + error + "}";
    }
}
