package io.ticketkeeper.internal;

/** A way to reach the native shim (Panama FFM today; JNA for older runtimes later). */
public interface Backend {
    /** Installs the shim on {@code sslCtx}, routing its upcalls to {@code decider}. */
    Installation install(long sslCtx, TicketDecider decider);

    /** Sets the session id context of {@code sslCtx} (at most 32 bytes). */
    void setSessionIdContext(long sslCtx, byte[] context);

    /** nginx's session id context for {@code sslCtx}: SHA-1 over {@code prefix}, its certificate, its CA names. */
    byte[] nginxSessionIdContext(long sslCtx, byte[] prefix);

    /** The shim's session helpers (warm start, client cache, PEM). */
    default SessionNatives sessionNatives() {
        throw new UnsupportedOperationException("this backend has no session helpers");
    }
}
