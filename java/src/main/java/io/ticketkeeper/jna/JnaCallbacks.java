package io.ticketkeeper.jna;

import static io.ticketkeeper.internal.ShimLayout.UPCALLS_EARLY_DATA;
import static io.ticketkeeper.internal.ShimLayout.UPCALLS_OPEN;
import static io.ticketkeeper.internal.ShimLayout.UPCALLS_SEAL;
import static io.ticketkeeper.internal.ShimLayout.UPCALLS_SESSION;
import static io.ticketkeeper.internal.ShimLayout.UPCALLS_SIZE;
import static io.ticketkeeper.internal.ShimLayout.UPCALLS_STAMP;
import static io.ticketkeeper.internal.ShimLayout.UPCALLS_USER;

import io.ticketkeeper.internal.TicketUpcalls;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;

/**
 * The upcall body ({@link TicketUpcalls}) wired as four JNA callbacks, where the shim has no JNI bridge
 * ({@link JniUpcalls}) or it is turned off. Each callback drops the user pointer (NULL on this path: the callback is
 * bound to its handle's body) and calls the body, which catches everything. The callbacks stay strongly reachable as
 * long as this object: the installation holds it until tk_close has returned (JNA holds callbacks only weakly).
 */
final class JnaCallbacks {
    /**
     * tk_seal_fn: {@code int32_t (void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
     * int64_t *out_lifetime_s)}; pointers as 64-bit integers, so that JNA makes no Pointer per call.
     */
    interface SealFn extends Callback {
        int invoke(long user, long contextId, long generation, long outSlot, long outLifetime);
    }

    /** tk_open_fn: {@code int32_t (void *user, int64_t context_id, int64_t generation, int32_t slot)}. */
    interface OpenFn extends Callback {
        int invoke(long user, long contextId, long generation, int slot);
    }

    /**
     * tk_stamp_fn: {@code int32_t (void *user, int64_t context_id, tk_ticket_stamp *out_stamp,
     * uint32_t *out_max_early_data)}.
     */
    interface StampFn extends Callback {
        int invoke(long user, long contextId, long outStamp, long outMaxEarlyData);
    }

    /** tk_session_fn: {@code int32_t (void *user, const tk_session_view *view)}. */
    interface SessionFn extends Callback {
        int invoke(long user, long view);
    }

    final SealFn seal;
    final OpenFn open;
    final StampFn stamp;
    final SessionFn session;
    /** tk_early_data_fn, the same shape as tk_session_fn; null while the handle has early data off. */
    final SessionFn earlyData;

    JnaCallbacks(TicketUpcalls upcalls) {
        seal = (user, contextId, generation, outSlot, outLifetime) ->
                upcalls.seal(contextId, generation, outSlot, outLifetime);
        open = (user, contextId, generation, slot) -> upcalls.open(contextId, generation, slot);
        stamp = (user, contextId, outStamp, outMaxEarlyData) -> upcalls.stamp(contextId, outStamp, outMaxEarlyData);
        session = (user, view) -> upcalls.session(view);
        earlyData = upcalls.earlyDataOn() ? (user, view) -> upcalls.earlyData(view) : null;
        JnaThreads.initialize(seal, open, stamp, session, earlyData);
    }

    /** A {@code tk_upcalls} naming the callbacks (user NULL); the caller keeps it (and this object) alive. */
    Memory table() {
        Memory table = new Memory(UPCALLS_SIZE);
        table.setLong(UPCALLS_USER, 0);
        table.setPointer(UPCALLS_SEAL, CallbackReference.getFunctionPointer(seal));
        table.setPointer(UPCALLS_OPEN, CallbackReference.getFunctionPointer(open));
        table.setPointer(UPCALLS_STAMP, CallbackReference.getFunctionPointer(stamp));
        table.setPointer(UPCALLS_SESSION, CallbackReference.getFunctionPointer(session));
        table.setPointer(UPCALLS_EARLY_DATA, earlyData == null ? null : CallbackReference.getFunctionPointer(earlyData));
        return table;
    }
}
