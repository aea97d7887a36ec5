package io.ticketkeeper.ffm;

import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_cache_get_fn;
import io.ticketkeeper.ffm.shim.tk_cache_new_fn;
import io.ticketkeeper.ffm.shim.tk_cache_remove_fn;
import io.ticketkeeper.ffm.shim.tk_cache_stats;
import io.ticketkeeper.ffm.shim.tk_cache_upcalls;
import io.ticketkeeper.internal.CacheShimStats;
import io.ticketkeeper.internal.SessionCacheBridge;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The three session cache upcall targets and their installation. Each catches everything: an exception that
 * reached the upcall stub would terminate the JVM.
 */
final class FfmSessionCache {
    private static final int MISS = 0;

    private final SessionCacheBridge bridge;

    private FfmSessionCache(SessionCacheBridge bridge) {
        this.bridge = bridge;
    }

    /** Installs on {@code sslCtx} under {@code handle}; the stubs live in {@code arena}, closed after tk_close. */
    static void install(MemorySegment handle, long sslCtx, SessionCacheBridge bridge, boolean internalCache,
            Arena arena) {
        FfmSessionCache upcalls = new FfmSessionCache(bridge);
        MemorySegment table = tk_cache_upcalls.allocate(arena);
        tk_cache_upcalls.new_session(table, tk_cache_new_fn.allocate(upcalls::newSession, arena));
        tk_cache_upcalls.get_session(table, tk_cache_get_fn.allocate(upcalls::getSession, arena));
        tk_cache_upcalls.remove_session(table, tk_cache_remove_fn.allocate(upcalls::removeSession, arena));
        int mode = internalCache ? TicketKeeperShim.TK_CACHE_INTERNAL() : TicketKeeperShim.TK_CACHE_EXTERNAL();
        int result = TicketKeeperShim.tk_cache_install(handle, MemorySegment.ofAddress(sslCtx), table, mode);
        if (result != TicketKeeperShim.TK_OK()) {
            throw new TicketKeeperException("could not install the session cache on SSL_CTX 0x"
                    + Long.toHexString(sslCtx) + ": " + FfmInstallation.describe(result));
        }
    }

    static CacheShimStats stats(MemorySegment handle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stats = tk_cache_stats.allocate(arena);
            TicketKeeperShim.tk_cache_get_stats(handle, stats);
            return new CacheShimStats(tk_cache_stats.stateless_skipped(stats), tk_cache_stats.too_large(stats),
                    tk_cache_stats.bad_sessions(stats), tk_cache_stats.closed_callbacks(stats));
        }
    }

    static byte[] bytes(MemorySegment pointer, int length) {
        return pointer.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
    }

    int newSession(MemorySegment id, int idLength, MemorySegment der, int derLength, long timeoutSeconds) {
        try {
            bridge.newSession(bytes(id, idLength), bytes(der, derLength), timeoutSeconds);
        } catch (Throwable t) {
            bridge.upcallFailed("new session", t);
        }
        return 0;
    }

    int getSession(MemorySegment id, int idLength, MemorySegment out, int capacity) {
        try {
            byte[] session = bridge.lookUp(bytes(id, idLength));
            if (session == null || session.length > capacity) {
                return MISS;
            }
            MemorySegment.copy(session, 0, out.reinterpret(capacity), ValueLayout.JAVA_BYTE, 0, session.length);
            return session.length;
        } catch (Throwable t) {
            bridge.upcallFailed("get session", t);
            return MISS;
        }
    }

    int removeSession(MemorySegment id, int idLength) {
        try {
            bridge.remove(bytes(id, idLength));
        } catch (Throwable t) {
            bridge.upcallFailed("remove session", t);
        }
        return 0;
    }
}
