package io.ticketkeeper.internal;

import static io.ticketkeeper.internal.ShimCodes.ERR_BAD_SESSION;
import static io.ticketkeeper.internal.ShimCodes.ERR_CLOSED;
import static io.ticketkeeper.internal.ShimCodes.ERR_CONTEXT_FREED;
import static io.ticketkeeper.internal.ShimCodes.ERR_FOREIGN_CONTEXT;
import static io.ticketkeeper.internal.ShimCodes.ERR_NOT_ATTACHED;
import static io.ticketkeeper.internal.ShimCodes.OK;

import io.ticketkeeper.TicketKeeperException;

/**
 * The shim's result codes ({@link ShimCodes}, TK_RESULTS in include/ticketkeeper.h) as exceptions, the same for
 * every backend: a context that is gone or not attached is an {@link IllegalStateException}, bytes that are not a
 * session an {@link IllegalArgumentException}, anything else a {@link TicketKeeperException}.
 */
public final class ShimResults {
    private ShimResults() {
    }

    /** Reads the shim's description of a result code. */
    public interface Describer {
        String describe(int result);
    }

    /**
     * Returns when {@code result} is {@link ShimCodes#OK}, else throws the exception for it: "could not
     * {@code what}: the shim's description (code)".
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
