package io.ticketkeeper.internal;

import static io.ticketkeeper.internal.ShimLayout.STAMP_HOST_ID;
import static io.ticketkeeper.internal.ShimLayout.STAMP_ISSUED_AT_MS;
import static io.ticketkeeper.internal.ShimLayout.STAMP_KEY_GENERATION;
import static io.ticketkeeper.internal.ShimLayout.STAMP_TAG;
import static io.ticketkeeper.internal.ShimLayout.VIEW_KEY_GENERATION;

/**
 * The ticket upcalls (tk_seal_fn, tk_open_fn, tk_stamp_fn, tk_session_fn) and the early data upcall
 * (tk_early_data_fn), once for every backend: a backend
 * supplies the {@link NativeMemory} its structs are read and written through, and wires these methods to the shim
 * (FFM upcall stubs, JNA callbacks, the JNI bridge), dropping the user pointer, which here is this object. Each
 * method catches everything: an exception that left an upcall would terminate the JVM (FFM) or reach JNA's or JNI's
 * handler instead of giving the handshake its safe outcome. Policy failures are already answered by the decider;
 * what is caught here is a fault of our own. Nothing here locks or allocates in steady state.
 *
 * <p>The JNI bridge (native/src/main/c/tk_jni.c) calls these methods by name and signature: seal (JJJJ)I,
 * open (JJI)I, stamp (JJJ)I, session (J)I, earlyData (J)I.
 */
public final class TicketUpcalls {
    private final TicketDecider decider;
    private final NativeMemory memory;

    public TicketUpcalls(TicketDecider decider, NativeMemory memory) {
        this.decider = decider;
        this.memory = memory;
    }

    /**
     * tk_seal_fn: writes the slot and the ticket's lifetime and answers {@link ShimCodes#SEAL_CHOSEN}, or
     * {@link ShimCodes#SEAL_NONE} for no ticket. The clock is read once for both (a second read cost this upcall a
     * quarter of its time: TicketCallbackBenchmark).
     */
    public int seal(long contextId, long generation, long outSlot, long outLifetime) {
        try {
            long now = decider.nowMillis();
            int slot = decider.seal(contextId, generation, now);
            if (slot < 0) {
                return ShimCodes.SEAL_NONE;
            }
            memory.setInt(outSlot, slot);
            memory.setLong(outLifetime, decider.lifetimeSeconds(generation, slot, now));
            return ShimCodes.SEAL_CHOSEN;
        } catch (Throwable t) {
            failed("seal", t);
            return ShimCodes.SEAL_NONE;
        }
    }

    /** tk_open_fn: a tk_key_decision for the key in {@code slot} (-1: unknown) of the table {@code generation}. */
    public int open(long contextId, long generation, int slot) {
        try {
            return decider.open(contextId, generation, slot);
        } catch (Throwable t) {
            failed("open", t);
            return ShimCodes.KEY_REJECT;
        }
    }

    /**
     * tk_stamp_fn: writes the stamp and answers {@link ShimCodes#STAMP_STORED}, or {@link ShimCodes#STAMP_NONE} (the
     * shim then sends no ticket) for a context no longer attached. With early data on, it lowers the ticket's
     * max_early_data at {@code outMaxEarlyData} when the policy asks to (a uint32_t the shim filled with the
     * options' value).
     */
    public int stamp(long contextId, long outStamp, long outMaxEarlyData) {
        try {
            long hostId = decider.stampHostId(contextId);
            if (hostId == 0) {
                return ShimCodes.STAMP_NONE;
            }
            memory.setLong(outStamp + STAMP_ISSUED_AT_MS, decider.nowMillis());
            memory.setLong(outStamp + STAMP_KEY_GENERATION, decider.currentGeneration());
            memory.setLong(outStamp + STAMP_TAG, decider.ticketTag());
            memory.setLong(outStamp + STAMP_HOST_ID, hostId);
            EarlyDataDecider early = decider.earlyData();
            long allowed = Integer.toUnsignedLong(memory.getInt(outMaxEarlyData));
            if (early != null && allowed > 0) {
                memory.setInt(outMaxEarlyData, (int) early.maxEarlyData(contextId, allowed));
            }
            return ShimCodes.STAMP_STORED;
        } catch (Throwable t) {
            failed("stamp", t);
            return ShimCodes.STAMP_NONE;
        }
    }

    /** tk_session_fn: a tk_session_decision for the tk_session_view at {@code view}. */
    public int session(long view) {
        try {
            SessionView session = decider.sessionView();
            session.read(memory, view, decider.keysFor(memory.getLong(view + VIEW_KEY_GENERATION)));
            return decider.session(session);
        } catch (Throwable t) {
            failed("session", t);
            return ShimCodes.SESSION_IGNORE_RENEW;
        }
    }

    /** Whether the handle turned early data on: only then is {@link #earlyData} wired to the shim. */
    public boolean earlyDataOn() {
        return decider.earlyData() != null;
    }

    /**
     * tk_early_data_fn: {@link ShimCodes#EARLY_DATA_ACCEPT} or {@link ShimCodes#EARLY_DATA_REFUSE} for the
     * tk_early_data_view at {@code view}. It runs only when a client offers early data, so it may allocate (the
     * record's key, the policy's request).
     */
    public int earlyData(long view) {
        try {
            EarlyDataDecider early = decider.earlyData();
            if (early == null) {
                return ShimCodes.EARLY_DATA_REFUSE;
            }
            return early.decide(EarlyDataDecider.View.read(memory, view)) ? ShimCodes.EARLY_DATA_ACCEPT
                    : ShimCodes.EARLY_DATA_REFUSE;
        } catch (Throwable t) {
            failed("early data", t);
            return ShimCodes.EARLY_DATA_REFUSE;
        }
    }

    private void failed(String upcall, Throwable t) {
        try {
            decider.upcallFailed(upcall, t);
        } catch (Throwable last) {
            // Counting failed too (out of memory or stack): nothing may leave an upcall.
        }
    }
}
