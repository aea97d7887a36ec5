package io.ticketkeeper.jna;

import static io.ticketkeeper.internal.ShimLayout.UPCALLS_SIZE;
import static io.ticketkeeper.internal.ShimLayout.UPCALLS_USER;

import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.internal.NativeLibrary;
import io.ticketkeeper.internal.TicketUpcalls;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.util.Locale;

/**
 * The ticket upcalls through the shim's JNI bridge (native/src/main/c/tk_jni.c), instead of JNA callbacks, whose
 * dispatch costs several times a short handshake's upcall budget. The bridge's C functions serve every handle: each
 * handle's tk_upcalls names them with, as its user pointer, a JNI global reference to the handle's upcall body
 * ({@link TicketUpcalls}), whose methods they call. The reference keeps the body reachable until the installation
 * has closed the handle ({@link Table#close}).
 *
 * <p>The bridge's natives are bound by their exported names, which name this class: a relocated (shaded) copy of
 * TicketKeeper finds no bridge and takes JNA's callbacks (README, "Shading").
 */
final class JniUpcalls {
    /** {@code -Dticketkeeper.jna.upcalls=jni|jna}: forces the JNI bridge or JNA's callbacks on the JNA backend. */
    static final String PROPERTY = "ticketkeeper.jna.upcalls";
    static final String JNI = "jni";
    static final String JNA = "jna";
    /** tk_jni_upcalls in the shim (its functions, user NULL), or 0 when the shim has no bridge ({@link #MISSING}). */
    private static final long FUNCTIONS;
    private static final String MISSING;

    static {
        long functions = 0;
        String missing = null;
        try {
            functions = bind(TicketUpcalls.class);
        } catch (UnsatisfiedLinkError e) {
            missing = e.getMessage();
        }
        FUNCTIONS = functions;
        MISSING = missing;
    }

    private JniUpcalls() {
    }

    /* Keeps the body's class and its upcall methods in the shim and returns the address of tk_jni_upcalls. */
    private static native long bind(Class<?> body);

    /* A JNI global reference to body, or 0 when the JVM had no memory for one. */
    private static native long hold(Object body);

    /* Deletes a reference hold made. */
    private static native void drop(long reference);

    /**
     * Whether the JNA backend's ticket upcalls take the JNI bridge: by default where the shim has it, else as
     * {@value #PROPERTY} says.
     *
     * @throws TicketKeeperException when the property names neither path, or names JNI and the shim has no bridge
     */
    static boolean chosen() {
        String forced = System.getProperty(PROPERTY);
        if (forced == null || forced.isBlank()) {
            return FUNCTIONS != 0;
        }
        String name = forced.strip().toLowerCase(Locale.ROOT);
        if (name.equals(JNA)) {
            return false;
        }
        if (!name.equals(JNI)) {
            throw new TicketKeeperException("-D" + PROPERTY + "=" + forced + " names no upcall path: use " + JNI
                    + " (the shim's JNI bridge) or " + JNA + " (JNA's callbacks)");
        }
        if (FUNCTIONS == 0) {
            throw new TicketKeeperException("-D" + PROPERTY + "=jni, but the TicketKeeper shim " + NativeLibrary.file()
                    + " has no JNI bridge (" + MISSING + "); it was built without a JDK's jni.h for its platform, or "
                    + "TicketKeeper's classes were relocated (shaded): drop the property to use JNA's callbacks");
        }
        return true;
    }

    /**
     * One handle's {@code tk_upcalls}: the bridge's functions, with a global reference to {@code upcalls} as the user
     * pointer. Its owner closes it once tk_close has returned (or when no handle was made).
     */
    static final class Table implements AutoCloseable {
        final Memory memory = new Memory(UPCALLS_SIZE);
        private final long reference;

        Table(TicketUpcalls upcalls) {
            reference = hold(upcalls);
            if (reference == 0) {
                throw new OutOfMemoryError("no JNI global reference for TicketKeeper's upcalls");
            }
            memory.write(0, new Pointer(FUNCTIONS).getByteArray(0, UPCALLS_SIZE), 0, UPCALLS_SIZE);
            memory.setLong(UPCALLS_USER, reference);
        }

        long address() {
            return Pointer.nativeValue(memory);
        }

        /** Deletes the global reference: no upcall of the handle may run any more. */
        @Override
        public void close() {
            drop(reference);
        }
    }
}
