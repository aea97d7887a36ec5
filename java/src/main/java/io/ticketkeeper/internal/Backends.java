package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKeeperException;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * Chooses the backend for this runtime, or explains why none fits: Panama FFM on Java 23 and newer, JNA on Java 17
 * to 22; {@code -Dticketkeeper.backend=ffm|jna} forces one.
 */
public final class Backends {
    public static final String PROPERTY = "ticketkeeper.backend";
    public static final String FFM = "ffm";
    public static final String JNA = "jna";
    private static final String FFM_BACKEND = "io.ticketkeeper.ffm.FfmBackend";
    private static final String JNA_BACKEND = "io.ticketkeeper.jna.JnaBackend";
    private static final int FFM_MINIMUM_FEATURE = 23;

    private Backends() {
    }

    private static Backend backend;
    private static TicketKeeperException failure;

    /** The backend, loaded on first use; a failure is remembered and reported again on every call. */
    public static synchronized Backend get() {
        if (backend == null && failure == null) {
            try {
                backend = load(chosen());
            } catch (TicketKeeperException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new TicketKeeperException(failure.getMessage(), failure);
        }
        return backend;
    }

    /**
     * {@link #FFM} or {@link #JNA}: the one {@value #PROPERTY} names, else FFM on Java 23 and newer and JNA before.
     *
     * @throws TicketKeeperException when the property names neither, or names FFM on a runtime too old for it
     */
    public static String chosen() {
        int feature = Runtime.version().feature();
        String forced = System.getProperty(PROPERTY);
        if (forced == null || forced.isBlank()) {
            return feature >= FFM_MINIMUM_FEATURE ? FFM : JNA;
        }
        String name = forced.strip().toLowerCase(Locale.ROOT);
        if (!name.equals(FFM) && !name.equals(JNA)) {
            throw new TicketKeeperException("-D" + PROPERTY + "=" + forced + " names no backend: use " + FFM
                    + " (Panama, Java " + FFM_MINIMUM_FEATURE + "+) or " + JNA + " (Java 17+)");
        }
        if (name.equals(FFM) && feature < FFM_MINIMUM_FEATURE) {
            throw new TicketKeeperException("-D" + PROPERTY + "=ffm needs Java " + FFM_MINIMUM_FEATURE
                    + " or newer for Panama FFM, but runs on Java " + feature + "; drop it to use the JNA backend");
        }
        return name;
    }

    private static Backend load(String name) {
        int feature = Runtime.version().feature();
        String type = name.equals(FFM) ? FFM_BACKEND : JNA_BACKEND;
        try {
            return (Backend) Class.forName(type).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof TicketKeeperException cause) {
                throw cause;
            }
            throw new TicketKeeperException("TicketKeeper's " + name + " backend failed to start on Java " + feature
                    + ": " + e.getCause(), e.getCause());
        } catch (NoClassDefFoundError e) {
            throw new TicketKeeperException(missing(name, feature, e), e);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new TicketKeeperException(missing(name, feature, e), e);
        }
    }

    private static String missing(String name, int feature, Throwable e) {
        if (name.equals(JNA)) {
            return "TicketKeeper's JNA backend cannot run on Java " + feature + ": JNA (net.java.dev.jna:jna 5.19 or "
                    + "newer) is not on the class path (" + e + ")"
                    + (feature >= FFM_MINIMUM_FEATURE ? "; the FFM backend needs no JNA: drop -D" + PROPERTY : "");
        }
        return "TicketKeeper's FFM backend " + FFM_BACKEND + " could not be loaded on Java " + feature
                + " (is the ticketkeeper jar whole, with its META-INF/versions/23 classes?): " + e;
    }
}
