package io.ticketkeeper.jna;

import io.ticketkeeper.internal.SessionNatives;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;

/** The shim's session helpers through JNA. Sessions hold their master secret: every native copy is wiped. */
final class JnaSessionNatives implements SessionNatives {
    private static final int MAX_DER = 16384;
    private static final ClientSink SINK = SessionNatives.clientSink();
    /** One callback for every client context of the process, reachable as long as the process: contexts may
     * outlive any of our objects. */
    private static final JnaShim.ClientNewFn CLIENT_NEW_SESSION = JnaSessionNatives::clientNewSession;

    static {
        JnaThreads.initialize(CLIENT_NEW_SESSION);
    }

    private static int clientNewSession(long peer, long der, int length) {
        try {
            SINK.newSession(peer, JnaMemory.bytes(der, length));
        } catch (Throwable ignored) {
            // The sink never throws; this guards only against a fault in copying, which costs this session.
        }
        return 0;
    }

    @Override
    public void installClientCache(long sslCtx) {
        JnaBackend.check(JnaShim.tk_client_cache_install(sslCtx, CLIENT_NEW_SESSION),
                "install the client session cache on SSL_CTX 0x" + Long.toHexString(sslCtx));
    }

    @Override
    public void tag(long ssl, long peer) {
        JnaBackend.check(JnaShim.tk_client_tag(ssl, peer), "tag SSL 0x" + Long.toHexString(ssl));
    }

    @Override
    public void offer(long ssl, byte[] session) {
        JnaBackend.withSecret(session, der -> JnaBackend.check(JnaShim.tk_client_offer(ssl, der, session.length),
                "offer a session on SSL 0x" + Long.toHexString(ssl)));
    }

    @Override
    public String toPem(byte[] session) {
        String[] pem = new String[1];
        JnaBackend.withSecret(session, der -> {
            long[] length = new long[1];
            JnaBackend.check(JnaShim.tk_session_to_pem(der, session.length, 0, 0, length), "write a session as PEM");
            try (Memory out = new Memory(Math.max(1, length[0]))) {
                try {
                    JnaBackend.check(JnaShim.tk_session_to_pem(der, session.length, Pointer.nativeValue(out),
                            out.size(), length), "write a session as PEM");
                    pem[0] = new String(out.getByteArray(0, (int) length[0]), StandardCharsets.US_ASCII);
                } finally {
                    out.clear();
                }
            }
        });
        return pem[0];
    }

    @Override
    public byte[] fromPem(String pem) {
        byte[] text = pem.getBytes(StandardCharsets.US_ASCII);
        byte[][] der = new byte[1][];
        try {
            JnaBackend.withSecret(text, in -> {
                try (Memory out = new Memory(MAX_DER)) {
                    try {
                        long[] length = new long[1];
                        JnaBackend.check(JnaShim.tk_session_from_pem(in, text.length, Pointer.nativeValue(out),
                                out.size(), length), "read a PEM session");
                        der[0] = out.getByteArray(0, (int) length[0]);
                    } finally {
                        out.clear();
                    }
                }
            });
        } finally {
            java.util.Arrays.fill(text, (byte) 0);
        }
        return der[0];
    }
}
