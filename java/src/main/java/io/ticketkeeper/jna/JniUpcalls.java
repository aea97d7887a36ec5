package io.ticketkeeper.jna;

import static io.ticketkeeper.internal.ShimLayout.VIEW_CONTEXT_ID;

import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.internal.NativeLibrary;
import io.ticketkeeper.internal.TicketDecider;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ticket upcalls through the shim's JNI bridge (native/src/main/c/tk_jni.c): one static table of C trampolines
 * that call the static methods below, for every handle, instead of JNA callbacks, whose dispatch costs several
 * times a short handshake's upcall budget. The shim passes only the context id, so the handle rides in it: its
 * high 32 bits are the handle's slot in {@link #slots}, its low 32 bits the id the handle's decider gave the
 * context. The slot array is replaced whole when a handle is installed or closed, never on the handshake path.
 */
final class JniUpcalls {
    /** {@code -Dticketkeeper.jna.upcalls=jni|jna}: forces the JNI bridge or JNA's callbacks on the JNA backend. */
    static final String PROPERTY = "ticketkeeper.jna.upcalls";
    static final String JNI = "jni";
    static final String JNA = "jna";
    /** The safe answers of tk_seal_fn and tk_stamp_fn: no ticket (0, as from a dead upcall), no stamp. */
    private static final int NO_TICKET = 0;
    private static final int NO_STAMP = 0;
    private static final long LOCAL_ID_MASK = 0xFFFF_FFFFL;
    /** tk_jni_upcalls in the shim, or 0 when the shim has no bridge (then {@link #MISSING} says why). */
    private static final long TABLE;
    private static final String MISSING;
    /** Upcalls no handle answered (their slot was closed, or a failure outside the decider): each got the safe
     * outcome. An AtomicLong, whose increment allocates nothing: it is the last line of defence of the entry
     * methods' catch blocks. */
    private static final AtomicLong UNANSWERED = new AtomicLong();
    private static volatile JnaUpcalls[] slots = new JnaUpcalls[0];

    static {
        long table = 0;
        String missing = null;
        try {
            table = bind();
        } catch (UnsatisfiedLinkError e) {
            missing = e.getMessage();
        }
        TABLE = table;
        MISSING = missing;
    }

    private JniUpcalls() {
    }

    /* Keeps this class and its entry methods in the shim and returns the address of tk_jni_upcalls. */
    private static native long bind();

    /**
     * Whether the JNA backend's ticket upcalls take the JNI bridge: by default where the shim has it, else as
     * {@value #PROPERTY} says.
     *
     * @throws TicketKeeperException when the property names neither path, or names JNI and the shim has no bridge
     */
    static boolean chosen() {
        String forced = System.getProperty(PROPERTY);
        if (forced == null || forced.isBlank()) {
            return TABLE != 0;
        }
        String name = forced.strip().toLowerCase(Locale.ROOT);
        if (name.equals(JNA)) {
            return false;
        }
        if (!name.equals(JNI)) {
            throw new TicketKeeperException("-D" + PROPERTY + "=" + forced + " names no upcall path: use " + JNI
                    + " (the shim's JNI bridge) or " + JNA + " (JNA's callbacks)");
        }
        if (TABLE == 0) {
            throw new TicketKeeperException("-D" + PROPERTY + "=jni, but the TicketKeeper shim " + NativeLibrary.file()
                    + " has no JNI bridge (" + MISSING + "); it was built without a JDK's jni.h for its platform: "
                    + "drop the property to use JNA's callbacks");
        }
        return true;
    }

    /** The address of the shim's {@code tk_upcalls} for every handle on this path. */
    static long table() {
        return TABLE;
    }

    /** Gives {@code upcalls} a slot; upcalls whose context id carries it reach them until {@link #release}. */
    static synchronized int register(JnaUpcalls upcalls) {
        JnaUpcalls[] now = slots;
        int slot = 0;
        while (slot < now.length && now[slot] != null) {
            slot++;
        }
        JnaUpcalls[] next = Arrays.copyOf(now, Math.max(now.length, slot + 1));
        next[slot] = upcalls;
        slots = next;
        return slot;
    }

    /**
     * Frees {@code slot} if {@code upcalls} still hold it, once tk_close has returned and no upcall of their handle
     * runs (a second release, after the slot went to another handle, leaves it alone).
     */
    static synchronized void release(int slot, JnaUpcalls upcalls) {
        if (slots[slot] != upcalls) {
            return;
        }
        JnaUpcalls[] next = slots.clone();
        next[slot] = null;
        slots = next;
    }

    /** The bits of a context id that name {@code slot}; the decider's own id goes in the low 32 bits. */
    static long contextBase(int slot) {
        return (long) slot << 32;
    }

    /** The decider's own id in a context id (the id itself when it carries no slot). */
    static long localId(long contextId) {
        return contextId & LOCAL_ID_MASK;
    }

    /** Upcalls that got the safe outcome here, without their handle's decider. */
    static long unanswered() {
        return UNANSWERED.get();
    }

    private static JnaUpcalls of(long contextId) {
        JnaUpcalls[] now = slots;
        int slot = (int) (contextId >>> 32);
        JnaUpcalls upcalls = slot < now.length ? now[slot] : null;
        if (upcalls == null) {
            UNANSWERED.getAndIncrement();
        }
        return upcalls;
    }

    // The entry methods tk_jni.c calls (by name and signature). Each catches everything: the JnaUpcalls methods do
    // already, and what is left (a closed slot) gets the safe outcome.

    static int seal(long contextId, long generation, long outSlot, long outLifetime) {
        try {
            JnaUpcalls upcalls = of(contextId);
            return upcalls == null ? NO_TICKET : upcalls.seal(localId(contextId), generation, outSlot, outLifetime);
        } catch (Throwable t) {
            try {
                UNANSWERED.getAndIncrement();
            } catch (Throwable last) {
                // Nothing may leave an upcall: the safe outcome below.
            }
            return NO_TICKET;
        }
    }

    static int open(long contextId, long generation, int slot) {
        try {
            JnaUpcalls upcalls = of(contextId);
            return upcalls == null ? TicketDecider.KEY_REJECT : upcalls.open(localId(contextId), generation, slot);
        } catch (Throwable t) {
            try {
                UNANSWERED.getAndIncrement();
            } catch (Throwable last) {
                // Nothing may leave an upcall: the safe outcome below.
            }
            return TicketDecider.KEY_REJECT;
        }
    }

    static int stamp(long contextId, long outStamp) {
        try {
            JnaUpcalls upcalls = of(contextId);
            return upcalls == null ? NO_STAMP : upcalls.stamp(localId(contextId), outStamp);
        } catch (Throwable t) {
            try {
                UNANSWERED.getAndIncrement();
            } catch (Throwable last) {
                // Nothing may leave an upcall: the safe outcome below.
            }
            return NO_STAMP;
        }
    }

    static int session(long view) {
        try {
            JnaUpcalls upcalls = of(NativeView.at(view).getLong(VIEW_CONTEXT_ID));
            return upcalls == null ? TicketDecider.SESSION_IGNORE_RENEW : upcalls.session(view);
        } catch (Throwable t) {
            try {
                UNANSWERED.getAndIncrement();
            } catch (Throwable last) {
                // Nothing may leave an upcall: the safe outcome below.
            }
            return TicketDecider.SESSION_IGNORE_RENEW;
        }
    }
}
