package io.ticketkeeper.jna;

import static io.ticketkeeper.internal.ShimLayout.STAMP_HOST_ID;
import static io.ticketkeeper.internal.ShimLayout.STAMP_ISSUED_AT_MS;
import static io.ticketkeeper.internal.ShimLayout.STAMP_KEY_GENERATION;
import static io.ticketkeeper.internal.ShimLayout.STAMP_TAG;
import static io.ticketkeeper.internal.ShimLayout.UPCALLS_SIZE;
import static io.ticketkeeper.internal.ShimLayout.VIEW_CONTEXT_ID;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_PEER_CERTIFICATE;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_PEER_SHA256;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_STAMP;
import static io.ticketkeeper.internal.ShimLayout.VIEW_KEY_GENERATION;
import static io.ticketkeeper.internal.ShimLayout.VIEW_KEY_SLOT;
import static io.ticketkeeper.internal.ShimLayout.VIEW_PEER_SHA256;
import static io.ticketkeeper.internal.ShimLayout.MAX_SERVER_NAME_LEN;
import static io.ticketkeeper.internal.ShimLayout.VIEW_PROTOCOL_VERSION;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SERVER_NAME;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SERVER_NAME_LEN;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SESSION_TIME_S;
import static io.ticketkeeper.internal.ShimLayout.VIEW_STAMP;
import static io.ticketkeeper.internal.ShimLayout.VIEW_STATUS;

import io.ticketkeeper.internal.SessionView;
import io.ticketkeeper.internal.TicketDecider;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The four ticket upcalls as JNA callbacks. Each catches everything: an exception that left a callback would be
 * JNA's uncaught-exception handler's to deal with, and a handshake must get the safe outcome instead. The pointer
 * arguments arrive as 64-bit integers and are read through this thread's {@link NativeView}, so a callback makes no
 * Pointer of its own. The callbacks stay strongly reachable as long as this object: the installation holds it until
 * tk_close has returned. On the JNI path ({@link JniUpcalls}) the same methods answer, called from its entry methods
 * instead of through the callbacks.
 */
final class JnaUpcalls {
    /** tk_seal_fn's answers: 1 with the slot written, 0 for no ticket (also what a dead upcall returns). */
    private static final int SEALED = 1;
    private static final int NO_TICKET = 0;
    private static final int PEER_SHA256_LENGTH = 32;
    /** Native threads stay attached as daemons (detaching after every upcall would cost each handshake an attach). */
    private static final CallbackThreadInitializer THREADS =
            new CallbackThreadInitializer(true, false, "ticketkeeper-upcall");

    /**
     * tk_seal_fn: {@code int32_t (int64_t context_id, int64_t generation, int32_t *out_slot,
     * int64_t *out_lifetime_s)}.
     */
    interface SealFn extends Callback {
        int invoke(long contextId, long generation, long outSlot, long outLifetime);
    }

    /** tk_open_fn: {@code int32_t (int64_t context_id, int64_t generation, int32_t slot)}. */
    interface OpenFn extends Callback {
        int invoke(long contextId, long generation, int slot);
    }

    /** tk_stamp_fn: {@code int32_t (int64_t context_id, tk_ticket_stamp *out_stamp)}. */
    interface StampFn extends Callback {
        int invoke(long contextId, long outStamp);
    }

    /** tk_session_fn: {@code int32_t (const tk_session_view *view)}. */
    interface SessionFn extends Callback {
        int invoke(long view);
    }

    private final TicketDecider decider;
    final SealFn seal = this::seal;
    final OpenFn open = this::open;
    final StampFn stamp = this::stamp;
    final SessionFn session = this::session;

    JnaUpcalls(TicketDecider decider) {
        this.decider = decider;
        for (Callback callback : new Callback[] {seal, open, stamp, session}) {
            Native.setCallbackThreadInitializer(callback, THREADS);
        }
    }

    /** A {@code tk_upcalls} naming the four callbacks; the caller keeps it (and this object) alive. */
    Memory table() {
        Memory table = new Memory(UPCALLS_SIZE);
        table.setPointer(0, CallbackReference.getFunctionPointer(seal));
        table.setPointer(8, CallbackReference.getFunctionPointer(open));
        table.setPointer(16, CallbackReference.getFunctionPointer(stamp));
        table.setPointer(24, CallbackReference.getFunctionPointer(session));
        return table;
    }

    int seal(long contextId, long generation, long outSlot, long outLifetime) {
        try {
            long now = decider.nowMillis();
            int slot = decider.seal(contextId, generation, now);
            if (slot < 0) {
                return NO_TICKET;
            }
            NativeView.at(outSlot).setInt(0, slot);
            NativeView.at(outLifetime).setLong(0, decider.lifetimeSeconds(generation, slot, now));
            return SEALED;
        } catch (Throwable t) {
            try {
                decider.upcallFailed("seal", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return NO_TICKET;
        }
    }

    int open(long contextId, long generation, int slot) {
        try {
            return decider.open(contextId, generation, slot);
        } catch (Throwable t) {
            try {
                decider.upcallFailed("open", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return TicketDecider.KEY_REJECT;
        }
    }

    /** 1 with the stamp written, or 0 ("no stamp": the shim sends no ticket) for a context no longer attached. */
    int stamp(long contextId, long outStamp) {
        try {
            long hostId = decider.stampHostId(contextId);
            if (hostId == 0) {
                return 0;
            }
            Pointer stamp = NativeView.at(outStamp);
            stamp.setLong(STAMP_ISSUED_AT_MS, decider.nowMillis());
            stamp.setLong(STAMP_KEY_GENERATION, decider.currentGeneration());
            stamp.setLong(STAMP_TAG, decider.ticketTag());
            stamp.setLong(STAMP_HOST_ID, hostId);
            return 1;
        } catch (Throwable t) {
            try {
                decider.stampFailed(t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return 0;
        }
    }

    int session(long view) {
        try {
            return decider.session(fill(NativeView.at(view)));
        } catch (Throwable t) {
            try {
                decider.upcallFailed("session", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return TicketDecider.SESSION_IGNORE_RENEW;
        }
    }

    private SessionView fill(Pointer view) {
        SessionView session = decider.sessionView().fill(
                JniUpcalls.localId(view.getLong(VIEW_CONTEXT_ID)),
                view.getInt(VIEW_STATUS),
                view.getInt(VIEW_PROTOCOL_VERSION),
                view.getInt(VIEW_HAS_PEER_CERTIFICATE) != 0,
                view.getLong(VIEW_SESSION_TIME_S),
                decider.keysFor(view.getLong(VIEW_KEY_GENERATION)),
                view.getInt(VIEW_KEY_SLOT),
                view.getInt(VIEW_HAS_STAMP) != 0,
                view.getLong(VIEW_STAMP + STAMP_ISSUED_AT_MS),
                view.getLong(VIEW_STAMP + STAMP_KEY_GENERATION),
                view.getLong(VIEW_STAMP + STAMP_TAG),
                view.getLong(VIEW_STAMP + STAMP_HOST_ID));
        if (view.getInt(VIEW_HAS_PEER_SHA256) != 0) {
            view.read(VIEW_PEER_SHA256, session.peerSha256Buffer(), 0, PEER_SHA256_LENGTH);
            session.peerSha256Filled();
        }
        int serverNameLength = view.getInt(VIEW_SERVER_NAME_LEN);
        if (serverNameLength > 0 && serverNameLength <= MAX_SERVER_NAME_LEN) {
            view.read(VIEW_SERVER_NAME, session.serverNameBuffer(), 0, serverNameLength);
            session.serverNameFilled(serverNameLength);
        }
        return session;
    }
}
