package io.ticketkeeper.ffm;

import io.ticketkeeper.ffm.shim.tk_cache_get_fn;
import io.ticketkeeper.ffm.shim.tk_cache_new_fn;
import io.ticketkeeper.ffm.shim.tk_cache_remove_fn;
import io.ticketkeeper.ffm.shim.tk_cache_upcalls;
import io.ticketkeeper.internal.SessionCacheBridge;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The three session cache upcall targets. Each catches everything: an exception that reached the upcall stub
 * would terminate the JVM.
 */
final class FfmSessionCache {
    private static final int MISS = 0;

    private final SessionCacheBridge bridge;

    private FfmSessionCache(SessionCacheBridge bridge) {
        this.bridge = bridge;
    }

    /**
     * A {@code tk_cache_upcalls} in {@code arena} whose stubs call {@code bridge}; they live as long as the arena.
     * Each stub is bound to its own bridge, so the user pointer stays NULL (as for the ticket upcalls on FFM).
     */
    static MemorySegment upcallTable(SessionCacheBridge bridge, Arena arena) {
        FfmSessionCache upcalls = new FfmSessionCache(bridge);
        MemorySegment table = tk_cache_upcalls.allocate(arena);
        tk_cache_upcalls.user(table, MemorySegment.NULL);
        tk_cache_upcalls.new_session(table, tk_cache_new_fn.allocate(upcalls::newSession, arena));
        tk_cache_upcalls.get_session(table, tk_cache_get_fn.allocate(upcalls::getSession, arena));
        tk_cache_upcalls.remove_session(table, tk_cache_remove_fn.allocate(upcalls::removeSession, arena));
        return table;
    }

    static byte[] bytes(MemorySegment pointer, int length) {
        return pointer.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The DER goes straight from native memory into the entry the store gets, which the bridge wipes. */
    int newSession(MemorySegment user, long contextId, MemorySegment id, int idLength, MemorySegment der, int derLength,
            long timeoutSeconds) {
        byte[] entry = null;
        try {
            entry = SessionCacheBridge.newEntry(derLength);
            MemorySegment.copy(der.reinterpret(derLength), ValueLayout.JAVA_BYTE, 0, entry, SessionCacheBridge.HEADER,
                    derLength);
            bridge.newSession(contextId, bytes(id, idLength), entry, timeoutSeconds);
        } catch (Throwable t) {
            try {
                bridge.upcallFailed("new session", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
        } finally {
            try {
                SessionCacheBridge.wipe(entry);
            } catch (Throwable last) {
                // Out of stack: the entry is garbage soon; nothing may leave an upcall.
            }
        }
        return 0;
    }

    /** The DER goes from the store's answer straight into OpenSSL's buffer; the answer is wiped. */
    int getSession(MemorySegment user, long contextId, MemorySegment id, int idLength, MemorySegment out, int capacity) {
        byte[] entry = null;
        try {
            entry = bridge.lookUp(contextId, bytes(id, idLength));
            int length = entry == null ? 0 : entry.length - SessionCacheBridge.HEADER;
            if (entry == null || length > capacity) {
                return MISS;
            }
            MemorySegment.copy(entry, SessionCacheBridge.HEADER, out.reinterpret(capacity), ValueLayout.JAVA_BYTE, 0,
                    length);
            return length;
        } catch (Throwable t) {
            try {
                bridge.upcallFailed("get session", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return MISS;
        } finally {
            try {
                SessionCacheBridge.wipe(entry);
            } catch (Throwable last) {
                // Out of stack: the entry is garbage soon; nothing may leave an upcall.
            }
        }
    }

    int removeSession(MemorySegment user, long contextId, MemorySegment id, int idLength) {
        try {
            bridge.remove(bytes(id, idLength));
        } catch (Throwable t) {
            try {
                bridge.upcallFailed("remove session", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
        }
        return 0;
    }
}
