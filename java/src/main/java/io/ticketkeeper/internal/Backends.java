package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKeeperException;

/** Chooses the backend for this runtime, or explains why none fits. */
public final class Backends {
    private static final String FFM_BACKEND = "io.ticketkeeper.ffm.FfmBackend";
    private static final int FFM_MINIMUM_FEATURE = 23;

    private Backends() {
    }

    public static Backend get() {
        return Holder.BACKEND;
    }

    private static final class Holder {
        static final Backend BACKEND = load();
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
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new TicketKeeperException("TicketKeeper's FFM backend " + FFM_BACKEND
                    + " could not be loaded on Java " + feature
                    + " (is the ticketkeeper jar whole, with its META-INF/versions/23 classes?): " + e, e);
        }
    }
}
