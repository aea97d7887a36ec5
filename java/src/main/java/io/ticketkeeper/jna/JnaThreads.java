package io.ticketkeeper.jna;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;

/** How every JNA callback of TicketKeeper treats the native threads it is called on. */
final class JnaThreads {
    /** Native threads stay attached as daemons (detaching after every upcall would cost each handshake an attach). */
    static final CallbackThreadInitializer UPCALL_THREADS =
            new CallbackThreadInitializer(true, false, "ticketkeeper-upcall");

    private JnaThreads() {
    }

    /** Gives each callback that is not null {@link #UPCALL_THREADS}. */
    static void initialize(Callback... callbacks) {
        for (Callback callback : callbacks) {
            if (callback != null) {
                Native.setCallbackThreadInitializer(callback, UPCALL_THREADS);
            }
        }
    }
}
