package io.ticketkeeper.openssl;

import io.ticketkeeper.internal.Backends;
import io.ticketkeeper.internal.NativeLibrary;

import java.lang.reflect.InvocationTargetException;

/**
 * Chooses the {@link LibSsl} binding as the library chooses its backend ({@link Backends#PROPERTY}): Panama FFM on
 * Java 23 and newer, JNA before, either when the property names it. Both reach OpenSSL through the TicketKeeper shim,
 * which links the libssl this process uses, so the harness and the library always share one OpenSSL.
 */
final class LibSslBindings {
    private static final String FFM = "io.ticketkeeper.openssl.panama.PanamaLibSsl";
    private static final String JNA = "io.ticketkeeper.openssl.jna.JnaLibSsl";

    private static LibSsl instance;

    private LibSslBindings() {
    }

    static synchronized LibSsl get() {
        if (instance == null) {
            NativeLibrary.ensureLoaded();
            instance = load(Backends.chosen());
        }
        return instance;
    }

    private static LibSsl load(String binding) {
        String type = binding.equals(Backends.FFM) ? FFM : JNA;
        try {
            return (LibSsl) Class.forName(type).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the " + binding + " binding of OpenSSL failed to start: " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("no " + binding + " binding of OpenSSL on Java "
                    + Runtime.version().feature() + " (" + type + "): " + e, e);
        }
    }
}
