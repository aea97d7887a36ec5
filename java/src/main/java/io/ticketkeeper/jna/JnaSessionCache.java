package io.ticketkeeper.jna;

import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_GET;
import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_NEW;
import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_REMOVE;
import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_SIZE;
import static io.ticketkeeper.internal.ShimLayout.CACHE_UPCALLS_USER;

import io.ticketkeeper.internal.SessionCacheUpcalls;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;

/**
 * The session cache upcall body ({@link SessionCacheUpcalls}) wired as three JNA callbacks. Each drops the user
 * pointer (NULL on this path: the callback is bound to its handle's body) and calls the body, which catches
 * everything. Pointers cross as 64-bit integers, so that JNA makes no Pointer per call.
 */
final class JnaSessionCache {
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

    final NewFn newSession;
    final GetFn getSession;
    final RemoveFn removeSession;

    JnaSessionCache(SessionCacheUpcalls upcalls) {
        newSession = (user, contextId, id, idLength, der, derLength, timeoutSeconds) ->
                upcalls.newSession(contextId, id, idLength, der, derLength, timeoutSeconds);
        getSession = (user, contextId, id, idLength, outDer, capacity) ->
                upcalls.getSession(contextId, id, idLength, outDer, capacity);
        removeSession = (user, contextId, id, idLength) -> upcalls.removeSession(contextId, id, idLength);
        JnaThreads.initialize(newSession, getSession, removeSession);
    }

    /** A {@code tk_cache_upcalls} naming the callbacks (user NULL); the caller keeps it (and this object) alive. */
    Memory table() {
        Memory table = new Memory(CACHE_UPCALLS_SIZE);
        table.setLong(CACHE_UPCALLS_USER, 0);
        table.setPointer(CACHE_UPCALLS_NEW, CallbackReference.getFunctionPointer(newSession));
        table.setPointer(CACHE_UPCALLS_GET, CallbackReference.getFunctionPointer(getSession));
        table.setPointer(CACHE_UPCALLS_REMOVE, CallbackReference.getFunctionPointer(removeSession));
        return table;
    }
}
