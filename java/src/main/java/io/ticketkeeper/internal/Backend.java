package io.ticketkeeper.internal;

/** A way to reach the native shim (Panama FFM today; JNA for older runtimes later). */
public interface Backend {
    /** Installs the shim on {@code sslCtx}, routing its upcalls to {@code decider}. */
    Installation install(long sslCtx, TicketDecider decider);

    /** The shim's session helpers (warm start, client cache, PEM). */
    default SessionNatives sessionNatives() {
        throw new UnsupportedOperationException("this backend has no session helpers");
    }
}
