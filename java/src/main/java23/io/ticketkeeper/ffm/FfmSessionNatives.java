package io.ticketkeeper.ffm;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_client_new_fn;
import io.ticketkeeper.internal.SessionNatives;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** The shim's session helpers through jextract's bindings. */
final class FfmSessionNatives implements SessionNatives {
    /** One stub for every client context of the process, alive as long as the process: contexts may outlive us. */
    private static final MemorySegment CLIENT_STUB = tk_client_new_fn.allocate(FfmSessionNatives::clientNewSession,
            Arena.global());
    private static final ClientSink SINK = SessionNatives.clientSink();

    private static int clientNewSession(long peer, MemorySegment der, int length) {
        try {
            SINK.newSession(peer, FfmMemory.bytes(der, length));
        } catch (Throwable ignored) {
            // The sink never throws; this guards only against a fault in copying, which costs this session.
        }
        return 0;
    }

    @Override
    public void installClientCache(long sslCtx) {
        check(TicketKeeperShim.tk_client_cache_install(MemorySegment.ofAddress(sslCtx), CLIENT_STUB),
                "install the client session cache on SSL_CTX 0x" + Long.toHexString(sslCtx));
    }

    @Override
    public void tag(long ssl, long peer) {
        check(TicketKeeperShim.tk_client_tag(MemorySegment.ofAddress(ssl), peer), "tag SSL 0x" + Long.toHexString(ssl));
    }

    @Override
    public void offer(long ssl, byte[] session) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment der = arena.allocateFrom(ValueLayout.JAVA_BYTE, session);
            try {
                check(TicketKeeperShim.tk_client_offer(MemorySegment.ofAddress(ssl), der, session.length),
                        "offer a session on SSL 0x" + Long.toHexString(ssl));
            } finally {
                der.fill((byte) 0);
            }
        }
    }

    /** Sessions hold their master secret: the native copies are wiped before their arena frees them. */
    @Override
    public String toPem(byte[] session) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment der = arena.allocateFrom(ValueLayout.JAVA_BYTE, session);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
            check(TicketKeeperShim.tk_session_to_pem(der, session.length, MemorySegment.NULL, 0, length),
                    "write a session as PEM");
            MemorySegment pem = arena.allocate(length.get(ValueLayout.JAVA_LONG, 0));
            try {
                check(TicketKeeperShim.tk_session_to_pem(der, session.length, pem, pem.byteSize(), length),
                        "write a session as PEM");
                return new String(pem.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
            } finally {
                der.fill((byte) 0);
                pem.fill((byte) 0);
            }
        }
    }

    @Override
    public byte[] fromPem(String pem) {
        byte[] text = pem.getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_BYTE, text);
            MemorySegment out = arena.allocate(TicketKeeperShim.TK_SESSION_MAX_DER_LEN());
            MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
            try {
                check(TicketKeeperShim.tk_session_from_pem(in, text.length, out, out.byteSize(), length),
                        "read a PEM session");
                return out.asSlice(0, length.get(ValueLayout.JAVA_LONG, 0)).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                in.fill((byte) 0);
                out.fill((byte) 0);
                java.util.Arrays.fill(text, (byte) 0);
            }
        }
    }

    private static void check(int result, String what) {
        FfmBackend.check(result, what);
    }
}
