package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKeeperException;

/**
 * The shim's result codes (TK_RESULTS in include/ticketkeeper.h) as exceptions, the same for every backend: a
 * context that is gone or not attached is an {@link IllegalStateException}, bytes that are not a session an
 * {@link IllegalArgumentException}, anything else a {@link TicketKeeperException}. A contract test holds these
 * numbers to the header's.
 */
public final class ShimResults {
    public static final int OK = 0;
    public static final int ERR_NULL = -1;
    public static final int ERR_BAD_ARG = -2;
    public static final int ERR_NOMEM = -3;
    public static final int ERR_BUFFER_TOO_SMALL = -4;
    public static final int ERR_OPENSSL = -5;
    public static final int ERR_CLOSED = -6;
    public static final int ERR_ATTACHED = -7;
    public static final int ERR_NOT_ATTACHED = -8;
    public static final int ERR_CONTEXT_FREED = -9;
    public static final int ERR_BAD_KEY = -10;
    public static final int ERR_DUPLICATE_KEY = -11;
    public static final int ERR_TOO_MANY_KEYS = -12;
    public static final int ERR_BAD_SESSION = -13;
    public static final int ERR_FOREIGN_CONTEXT = -14;

    private ShimResults() {
    }

    /** Reads the shim's description of a result code. */
    public interface Describer {
        String describe(int result);
    }

    /**
     * Returns when {@code result} is {@link #OK}, else throws the exception for it: "could not {@code what}: the
     * shim's description (code)".
     */
    public static void check(int result, String what, Describer describer) {
        if (result == OK) {
            return;
        }
        String message = "could not " + what + ": " + describer.describe(result) + " (" + result + ")";
        switch (result) {
            case ERR_CONTEXT_FREED:
                throw new IllegalStateException(message + "; its owner freed it, so TicketKeeper no longer "
                        + "touches it");
            case ERR_NOT_ATTACHED:
            case ERR_CLOSED:
                throw new IllegalStateException(message);
            case ERR_BAD_SESSION:
                throw new IllegalArgumentException(message);
            case ERR_FOREIGN_CONTEXT:
                throw new IllegalArgumentException(message + "; it was made by BoringSSL (netty-tcnative-boringssl-"
                        + "static, for one) or by another OpenSSL than the libssl TicketKeeper's shim is linked "
                        + "against, so TicketKeeper leaves it alone: hand it a context of that libssl, or manage "
                        + "keys through the server's own key API");
            default:
                throw new TicketKeeperException(message);
        }
    }

    /** "SSL_CTX 0x7f..." for messages. */
    public static String context(long sslCtx) {
        return "SSL_CTX 0x" + Long.toHexString(sslCtx);
    }
}
