package io.ticketkeeper.internal;

/** A way to reach the native shim (Panama FFM today; JNA for older runtimes later). */
public interface Backend {
    /** Installs the shim on {@code sslCtx}, routing its upcalls to {@code decider}. */
    Installation install(long sslCtx, TicketDecider decider);
}
