package io.ticketkeeper.endpoints;

import io.ticketkeeper.openssl.LibSsl;

import java.util.function.LongConsumer;

/**
 * The endpoints' OpenSSL binding ({@link LibSsl}: Panama FFM on Java 23+, JNA before, as the library's backend) and
 * the checks around its calls: results that must be 1, pointers that must not be NULL, and OpenSSL's error queue
 * turned into exception messages.
 */
public final class OpenSslCalls {
    /** The binding every endpoint class calls OpenSSL through. */
    public static final LibSsl SSL = LibSsl.get();

    private OpenSslCalls() {
    }

    /** Throws when {@code result} is not 1, OpenSSL's success. */
    public static void check(long result, String what) {
        if (result != 1) {
            throw new IllegalStateException(what + " failed (" + result + "): " + drainErrors());
        }
    }

    /** Returns {@code pointer}, or throws when it is NULL. */
    public static long checkNotNull(long pointer, String what) {
        if (pointer == 0) {
            throw new IllegalStateException(what + " returned NULL: " + drainErrors());
        }
        return pointer;
    }

    /**
     * Makes an {@code SSL_CTX} for {@code method} and lets {@code configure} set it up; when that throws, the
     * context is freed before the exception goes on.
     */
    public static long newContext(long method, LongConsumer configure) {
        long ctx = checkNotNull(SSL.SSL_CTX_new(method), "SSL_CTX_new");
        try {
            configure.accept(ctx);
            return ctx;
        } catch (RuntimeException e) {
            SSL.SSL_CTX_free(ctx);
            throw e;
        }
    }

    /** Empties this thread's OpenSSL error queue into one line. */
    public static String drainErrors() {
        StringBuilder text = new StringBuilder();
        for (long code = SSL.ERR_get_error(); code != 0; code = SSL.ERR_get_error()) {
            text.append(text.length() == 0 ? "" : "; ").append(SSL.ERR_error_string_n(code));
        }
        return text.length() == 0 ? "no OpenSSL error queued" : text.toString();
    }
}
