package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKeeperException;

import java.lang.reflect.InvocationTargetException;

/** Chooses the backend for this runtime, or explains why none fits. */
public final class Backends {
    private static final String FFM_BACKEND = "io.ticketkeeper.ffm.FfmBackend";
    private static final int FFM_MINIMUM_FEATURE = 23;

    private Backends() {
    }

    private static Backend backend;
    private static TicketKeeperException failure;

    /** The backend, loaded on first use; a failure is remembered and reported again on every call. */
    public static synchronized Backend get() {
        if (backend == null && failure == null) {
            try {
                backend = load();
            } catch (TicketKeeperException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new TicketKeeperException(failure.getMessage(), failure);
        }
        return backend;
    }

    private static Backend load() {
        int feature = Runtime.version().feature();
        if (feature < FFM_MINIMUM_FEATURE) {
            throw new TicketKeeperException("TicketKeeper needs Java " + FFM_MINIMUM_FEATURE
                    + " or newer for its Panama FFM backend, but runs on Java " + feature
                    + "; run on a newer JDK (a JNA backend for Java 17 and 21 is planned)");
        }
        try {
            return (Backend) Class.forName(FFM_BACKEND).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof TicketKeeperException cause) {
                throw cause;
            }
            throw new TicketKeeperException("TicketKeeper's FFM backend failed to start: " + e.getCause(), e);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new TicketKeeperException("TicketKeeper's FFM backend " + FFM_BACKEND
                    + " could not be loaded on Java " + feature
                    + " (is the ticketkeeper jar whole, with its META-INF/versions/23 classes?): " + e, e);
        }
    }
}
