package io.ticketkeeper.internal;

/**
 * The session cache upcalls (tk_cache_new_fn, tk_cache_get_fn, tk_cache_remove_fn), once for every backend, as
 * {@link TicketUpcalls} is for the ticket upcalls: a backend supplies the {@link NativeMemory} the ids and sessions
 * are copied through and wires these methods to the shim (FFM upcall stubs, JNA callbacks), dropping the user
 * pointer, which here is this object. Sessions cross as copies into Java arrays (the store's API takes them), wiped
 * once the store returned. Each method catches everything: an exception that left an upcall would terminate the JVM
 * (FFM) or reach JNA's handler instead of giving the handshake its safe outcome (a miss).
 */
public final class SessionCacheUpcalls {
    /** tk_cache_get_fn's answer for a miss (also for a failed upcall). */
    private static final int MISS = 0;

    private final SessionCacheBridge bridge;
    private final NativeMemory memory;

    public SessionCacheUpcalls(SessionCacheBridge bridge, NativeMemory memory) {
        this.bridge = bridge;
        this.memory = memory;
    }

    /** tk_cache_new_fn: the DER goes straight from native memory into the entry the store gets, which is wiped. */
    public int newSession(long contextId, long id, int idLength, long der, int derLength, long timeoutSeconds) {
        byte[] entry = null;
        try {
            entry = SessionCacheBridge.newEntry(derLength);
            memory.copy(der, entry, SessionCacheBridge.HEADER, derLength);
            bridge.newSession(contextId, bytes(id, idLength), entry, timeoutSeconds);
        } catch (Throwable t) {
            failed("new session", t);
        } finally {
            wipe(entry);
        }
        return 0;
    }

    /** tk_cache_get_fn: the DER goes from the store's answer straight into OpenSSL's buffer; the answer is wiped. */
    public int getSession(long contextId, long id, int idLength, long outDer, int capacity) {
        byte[] entry = null;
        try {
            entry = bridge.lookUp(contextId, bytes(id, idLength));
            int length = entry == null ? 0 : entry.length - SessionCacheBridge.HEADER;
            if (entry == null || length > capacity) {
                return MISS;
            }
            memory.write(outDer, entry, SessionCacheBridge.HEADER, length);
            return length;
        } catch (Throwable t) {
            failed("get session", t);
            return MISS;
        } finally {
            wipe(entry);
        }
    }

    /** tk_cache_remove_fn. */
    public int removeSession(long contextId, long id, int idLength) {
        try {
            bridge.remove(bytes(id, idLength));
        } catch (Throwable t) {
            failed("remove session", t);
        }
        return 0;
    }

    private byte[] bytes(long address, int length) {
        byte[] bytes = new byte[length];
        memory.copy(address, bytes, length);
        return bytes;
    }

    private void failed(String upcall, Throwable t) {
        try {
            bridge.upcallFailed(upcall, t);
        } catch (Throwable last) {
            // Counting failed too (out of memory or stack): nothing may leave an upcall.
        }
    }

    private static void wipe(byte[] entry) {
        try {
            SessionCacheBridge.wipe(entry);
        } catch (Throwable last) {
            // Out of stack: the entry is garbage soon; nothing may leave an upcall.
        }
    }
}
