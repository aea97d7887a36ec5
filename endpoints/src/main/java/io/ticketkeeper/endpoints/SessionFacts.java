package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;

/** Reads what a finished handshake left on both ends into a {@link HandshakeResult}. */
final class SessionFacts {
    private SessionFacts() {
    }

    /** {@code serverSsl} may be NULL when the server end is not in this process. */
    static HandshakeResult of(long clientSsl, long serverSsl) {
        boolean resumed = SSL.SSL_session_reused(clientSsl) == 1;
        TlsVersion version = TlsVersion.of(SSL.SSL_version(clientSsl));
        ClientSession clientSession = ClientSession.of(clientSsl);
        return new HandshakeResult(true, resumed, version, clientSession, peerFingerprint(serverSsl), null);
    }

    static byte[] peerFingerprint(long serverSsl) {
        if (serverSsl == 0) {
            return null;
        }
        long peer = SSL.SSL_get0_peer_certificate(serverSsl);
        return peer == 0 ? null : SelfSignedCertificate.fingerprint(peer);
    }
}
