package io.ticketkeeper.harness;

import static io.ticketkeeper.openssl.ffm.OpenSsl.*;

import java.lang.foreign.MemorySegment;

/** Reads what a finished handshake left on both ends into a {@link HandshakeResult}. */
final class SessionFacts {
    private SessionFacts() {
    }

    /** {@code serverSsl} may be NULL when the server end is not in this process. */
    static HandshakeResult of(MemorySegment clientSsl, MemorySegment serverSsl) {
        boolean resumed = SSL_session_reused(clientSsl) == 1;
        TlsVersion version = TlsVersion.of(SSL_version(clientSsl));
        ClientSession clientSession = ClientSession.of(clientSsl);
        return new HandshakeResult(true, resumed, version, clientSession, peerFingerprint(serverSsl), null);
    }

    static byte[] peerFingerprint(MemorySegment serverSsl) {
        if (serverSsl.equals(MemorySegment.NULL)) {
            return null;
        }
        MemorySegment peer = SSL_get0_peer_certificate(serverSsl);
        return peer.equals(MemorySegment.NULL) ? null : TestCertificate.fingerprint(peer);
    }
}
