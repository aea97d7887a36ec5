package io.ticketkeeper.ffm;

import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.NativeLibrary;
import io.ticketkeeper.internal.SessionNatives;
import io.ticketkeeper.internal.TicketDecider;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The Panama FFM backend: upcall stubs into a {@link TicketDecider}, downcalls through jextract's bindings. */
public final class FfmBackend implements Backend {
    public FfmBackend() {
        NativeLibrary.ensureLoaded();
    }

    @Override
    public SessionNatives sessionNatives() {
        return new FfmSessionNatives();
    }

    @Override
    public Installation install(long sslCtx, TicketDecider decider) {
        // The stubs live until the installation closes, which happens only once no upcall can run.
        Arena arena = Arena.ofShared();
        try {
            FfmUpcalls upcalls = new FfmUpcalls(decider);
            MemorySegment table = upcalls.upcallTable(arena);
            MemorySegment outHandle = arena.allocate(ValueLayout.ADDRESS);
            int result = TicketKeeperShim.tk_install(MemorySegment.ofAddress(sslCtx), table, outHandle);
            if (result != TicketKeeperShim.TK_OK()) {
                throw new TicketKeeperException("could not install on SSL_CTX 0x" + Long.toHexString(sslCtx) + ": "
                        + FfmInstallation.describe(result));
            }
            return new FfmInstallation(outHandle.get(ValueLayout.ADDRESS, 0), arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public void setSessionIdContext(long sslCtx, byte[] context) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(1, context.length));
            MemorySegment.copy(context, 0, bytes, ValueLayout.JAVA_BYTE, 0, context.length);
            int result = TicketKeeperShim.tk_set_session_id_context(MemorySegment.ofAddress(sslCtx), bytes,
                    context.length);
            if (result != TicketKeeperShim.TK_OK()) {
                throw new TicketKeeperException("could not set the session id context of SSL_CTX 0x"
                        + Long.toHexString(sslCtx) + ": " + FfmInstallation.describe(result));
            }
        }
    }

    @Override
    public byte[] nginxSessionIdContext(long sslCtx, byte[] prefix) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment prefixBytes = arena.allocate(Math.max(1, prefix.length));
            MemorySegment.copy(prefix, 0, prefixBytes, ValueLayout.JAVA_BYTE, 0, prefix.length);
            MemorySegment out = arena.allocate(TicketKeeperShim.TK_SHA1_LEN());
            int result = TicketKeeperShim.tk_nginx_session_id_context(MemorySegment.ofAddress(sslCtx), prefixBytes,
                    prefix.length, out);
            if (result != TicketKeeperShim.TK_OK()) {
                throw new TicketKeeperException("could not derive nginx's session id context for SSL_CTX 0x"
                        + Long.toHexString(sslCtx) + ": " + FfmInstallation.describe(result));
            }
            return out.toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
