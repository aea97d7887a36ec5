package io.ticketkeeper.internal;

import io.ticketkeeper.KeySnapshot;

/**
 * One native handle as a backend drives it: the contexts attached to it, its key table and its counters. Every
 * method that names a context fails with {@link IllegalStateException} when the context was freed by its owner,
 * or is not attached to this handle, instead of touching it.
 */
public interface Installation extends AutoCloseable {
    /** Attaches the server context {@code sslCtx}; its upcalls carry {@code contextId}. */
    void attach(long sslCtx, long contextId);

    /** Takes {@code sslCtx} out of the handle: its later handshakes get the safe outcome. */
    void detach(long sslCtx);

    /**
     * The state of the context most recently attached under {@code contextId} (tk_context_state):
     * {@link ShimCodes#CONTEXT_ATTACHED}, {@link ShimCodes#CONTEXT_DETACHED} or {@link ShimCodes#CONTEXT_FREED}, or
     * {@link ShimCodes#ERR_NOT_ATTACHED} when none was. Touches no {@code SSL_CTX}, so it is how a handle learns
     * that a context's owner freed it.
     */
    int contextState(long contextId);

    /** The {@code ShimCodes.FINDING_*} flags of the attached {@code sslCtx} (tk_context_findings). */
    int contextFindings(long sslCtx);

    /** Publishes the keys of {@code snapshot} under its generation; returns once no handshake uses older keys. */
    void publish(KeySnapshot snapshot);

    /**
     * The keys in force at {@code nowMillis}, after each refresh and each publication (once it is committed): an
     * installation whose stack reads no schedule (key-management mode) follows which key seals from here.
     */
    default void observe(KeySnapshot keys, long nowMillis) {
    }

    /** Sets the session id context of the attached {@code sslCtx} (at most 32 bytes). */
    void setSessionIdContext(long sslCtx, byte[] context);

    /** nginx's session id context for the attached {@code sslCtx}: SHA-1 over {@code prefix}, its certificate and
     * its client CA names. */
    byte[] nginxSessionIdContext(long sslCtx, byte[] prefix);

    /** Puts the session cache of the attached {@code sslCtx} behind the installation's session cache. */
    void attachSessionCache(long sslCtx, boolean internalCache);

    /** Adds {@code session} (DER) to the internal cache of the attached {@code sslCtx}; IllegalArgumentException if
     * it does not parse. */
    void addSession(long sslCtx, byte[] session);

    /**
     * Turns TLS 1.3 early data on for the attached {@code sslCtx} (tk_early_data_attach): its tickets advertise
     * {@code maxBytes}, and the installation's early data upcall decides each offer.
     */
    void attachEarlyData(long sslCtx, int maxBytes);

    /**
     * Has the shim compute each presented TLS 1.3 ticket's identity for the session view (tk_set_ticket_ids): a
     * digest per resumption, which only single-use tickets read, so it is off unless they are on.
     */
    void computeTicketIds(boolean on);

    /** The early data state of the server connection {@code ssl} (tk_early_data_status): 0 not sent, 1 rejected,
     * 2 accepted. */
    int earlyDataStatus(long ssl);

    ShimStats shimStats();

    CacheShimStats cacheShimStats();

    /** Stops all upcalls; when it returns none runs and none will start. */
    @Override
    void close();
}
