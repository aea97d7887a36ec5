package io.ticketkeeper;

import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketCounters;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One server {@code SSL_CTX} attached to a {@link TicketKeeperHandle}: a virtual host (or certificate) of the
 * server the handle serves. Its tickets are sealed and opened with the handle's keys and policy, and bound to its
 * host: a ticket it sealed resumes only on contexts of the same host (or of a group of hosts that
 * {@linkplain TicketKeeperOptions.Builder#shareTickets share tickets}).
 *
 * <p>A context leaves the handle when it is {@linkplain #detach() detached}, when its owner frees it (the shim
 * notices; the handle sees it at its next look, for example {@link TicketKeeperHandle#contexts()}), or when the
 * handle closes. After that its counters stay readable, and calls that would touch the {@code SSL_CTX} fail with
 * an {@link IllegalStateException} that says why.
 */
public final class TicketContext {
    /** Where a context stands. */
    public enum State {
        /** Its handshakes go through TicketKeeper. */
        ATTACHED,
        /** {@linkplain #detach() Detached}: its handshakes get no tickets and full handshakes. */
        DETACHED,
        /** Its owner freed the {@code SSL_CTX}: TicketKeeper no longer touches it. */
        FREED,
        /** The handle was closed. */
        CLOSED
    }

    /** Something about the context that its owner should know, also logged as a warning when found. */
    public enum Finding {
        /**
         * {@code SSL_OP_NO_TICKET} is set: TLS 1.2 clients get no tickets from this context, and TLS 1.3 tickets are
         * stateful (looked up in the session cache), so TicketKeeper's keys seal nothing here. Netty sets it by
         * default; {@code ticketkeeper-netty} clears it.
         */
        NO_TICKET,
        /**
         * The handle's session cache replaced session cache callbacks another library had registered on the
         * context (Netty's session cache, for one), which no longer see its sessions.
         */
        CACHE_CALLBACKS_REPLACED
    }

    private final TicketKeeperHandle handle;
    private final long sslCtx;
    private final String hostName;
    private final int id;
    private final TicketCounters counters;
    private volatile State state = State.ATTACHED;
    private volatile Set<Finding> findings = Set.of();

    TicketContext(TicketKeeperHandle handle, long sslCtx, String hostName, int id, TicketCounters counters) {
        this.handle = handle;
        this.sslCtx = sslCtx;
        this.hostName = hostName;
        this.id = id;
        this.counters = counters;
    }

    /** The address of the {@code SSL_CTX}. */
    public long sslCtx() {
        return sslCtx;
    }

    /** The virtual host it was attached for (lower case), or empty when attached without one. */
    public Optional<String> hostName() {
        return Optional.ofNullable(hostName);
    }

    public TicketKeeperHandle handle() {
        return handle;
    }

    /** Where it stands now; asks the shim, so a context freed by its owner reads {@link State#FREED}. */
    public State state() {
        handle.refresh(this);
        return state;
    }

    /**
     * Its own counters: the tickets it sealed, resumed, renewed and turned away. The shim's own counters (closed
     * and detached callbacks, crypto errors, bad decisions) are kept per handle and read 0 here: see
     * {@link TicketKeeperHandle#stats()}.
     */
    public TicketStats stats() {
        return counters.stats(ShimStats.NONE);
    }

    /** What was found about it at attach (and {@link Finding#NO_TICKET} as the context's options are now). */
    public Set<Finding> findings() {
        handle.refreshFindings(this);
        return findings;
    }

    /**
     * Sets the context's session id context, which must equal that of every server that shares tickets with it.
     * Must not race with handshakes on the context. Returns the bytes set.
     *
     * @throws IllegalStateException when the context is not attached any more (detached, freed, handle closed)
     */
    public byte[] setSessionIdContext(SessionIdContext context) {
        return handle.setSessionIdContext(this, context);
    }

    /**
     * Warm start: adds persisted sessions (DER) to OpenSSL's internal session cache of this context; see
     * {@link TicketKeeperHandle#warmStart(List)}.
     */
    public int warmStart(List<byte[]> sessions) {
        return handle.warmStart(this, sessions);
    }

    /**
     * Takes the context out of the handle: from its next handshake on it issues no tickets and answers presented
     * tickets with full handshakes; when this returns, no TicketKeeper call for it is running. Safe while it
     * handshakes on other threads.
     *
     * @throws IllegalStateException when it is not attached (any more)
     */
    public void detach() {
        handle.detach(this);
    }

    int id() {
        return id;
    }

    State knownState() {
        return state;
    }

    void state(State state) {
        this.state = state;
    }

    void findings(Set<Finding> findings) {
        this.findings = Set.copyOf(findings);
    }

    /** "SSL_CTX 0x7f… (a.test)" for messages. */
    String describe() {
        return describe(sslCtx, hostName);
    }

    static String describe(long sslCtx, String hostName) {
        return "SSL_CTX 0x" + Long.toHexString(sslCtx) + (hostName == null ? "" : " (" + hostName + ")");
    }

    @Override
    public String toString() {
        return "TicketContext{" + describe() + ", " + state + "}";
    }
}
