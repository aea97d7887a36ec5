package io.ticketkeeper.jna;

import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_GET;
import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_NEW;
import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_REMOVE;
import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_SIZE;
import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_USER;

import io.ticketkeeper.internal.SessionCacheBridge;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * The three session cache upcalls as JNA callbacks. Each catches everything. Sessions cross as copies into Java
 * arrays (the store's API takes them), wiped once the store returned.
 */
final class JnaSessionCache {
    private static final int MISS = 0;
    private static final CallbackThreadInitializer THREADS =
            new CallbackThreadInitializer(true, false, "ticketkeeper-upcall");

    /** tk_cache_new_fn. */
    interface NewFn extends Callback {
        int invoke(long user, long contextId, long id, int idLength, long der, int derLength, long timeoutSeconds);
    }

    /** tk_cache_get_fn. */
    interface GetFn extends Callback {
        int invoke(long user, long contextId, long id, int idLength, long outDer, int capacity);
    }

    /** tk_cache_remove_fn. */
    interface RemoveFn extends Callback {
        int invoke(long user, long contextId, long id, int idLength);
    }

    private final SessionCacheBridge bridge;
    final NewFn newSession = this::newSession;
    final GetFn getSession = this::getSession;
    final RemoveFn removeSession = this::removeSession;

    JnaSessionCache(SessionCacheBridge bridge) {
        this.bridge = bridge;
        for (Callback callback : new Callback[] {newSession, getSession, removeSession}) {
            Native.setCallbackThreadInitializer(callback, THREADS);
        }
    }

    /**
     * A {@code tk_cache_upcalls} naming the three callbacks; the caller keeps it (and this object) alive. Each
     * callback is bound to its own bridge, so the user pointer stays NULL (as for the ticket upcalls on JNA).
     */
    Memory table() {
        Memory table = new Memory(CACHE_UPCALLS_SIZE);
        table.setLong(CACHE_UPCALLS_USER, 0);
        table.setPointer(CACHE_UPCALLS_NEW, CallbackReference.getFunctionPointer(newSession));
        table.setPointer(CACHE_UPCALLS_GET, CallbackReference.getFunctionPointer(getSession));
        table.setPointer(CACHE_UPCALLS_REMOVE, CallbackReference.getFunctionPointer(removeSession));
        return table;
    }

    static byte[] bytes(long address, int length) {
        return JnaMemory.ALL.getByteArray(address, length);
    }

    /** The DER goes straight from native memory into the entry the store gets, which the bridge wipes. */
    private int newSession(long user, long contextId, long id, int idLength, long der, int derLength, long timeoutSeconds) {
        byte[] entry = null;
        try {
            entry = SessionCacheBridge.newEntry(derLength);
            JnaMemory.ALL.read(der, entry, SessionCacheBridge.HEADER, derLength);
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
    private int getSession(long user, long contextId, long id, int idLength, long outDer, int capacity) {
        byte[] entry = null;
        try {
            entry = bridge.lookUp(contextId, bytes(id, idLength));
            int length = entry == null ? 0 : entry.length - SessionCacheBridge.HEADER;
            if (entry == null || length > capacity) {
                return MISS;
            }
            JnaMemory.ALL.write(outDer, entry, SessionCacheBridge.HEADER, length);
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

    private int removeSession(long user, long contextId, long id, int idLength) {
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
