package io.ticketkeeper;

import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketDecider;

import java.util.List;

/**
 * TicketKeeper installed on one server {@code SSL_CTX}. Closing it stops all calls into Java; the context then
 * issues no tickets and answers presented tickets with full handshakes. Closing is safe while other threads
 * handshake on the context, but must not happen from inside a {@link TicketPolicy} method.
 */
public final class TicketKeeperHandle implements AutoCloseable {
    private final long sslCtx;
    private final TicketDecider decider;
    private final Installation installation;
    private long nextGeneration = 1;
    private boolean closed;
    private ShimStats finalShimStats;

    TicketKeeperHandle(Backend backend, long sslCtx, TicketKeeperOptions options) {
        this.sslCtx = sslCtx;
        this.decider = new TicketDecider(options.policy(), options.clock(), new KeySnapshot(0, List.of()));
        this.installation = backend.install(sslCtx, decider);
        List<TicketKey> keys = options.keys() != null ? options.keys() : List.of(TicketKey.generate());
        try {
            setKeys(keys);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The address of the {@code SSL_CTX} this handle is installed on. */
    public long sslCtx() {
        return sslCtx;
    }

    /** The keys in force. */
    public KeySnapshot keys() {
        return decider.currentKeys();
    }

    /**
     * Publishes {@code keys} in place of the current keys. Handshakes on other threads see the old or the new set,
     * never a mix; when this returns, none still uses the old set and its native copy has been cleansed. On failure
     * the current keys stay in force.
     *
     * @throws IllegalArgumentException when a key is destroyed or two keys share a name
     * @throws IllegalStateException when the handle is closed
     */
    public synchronized KeySnapshot setKeys(List<TicketKey> keys) {
        List<TicketKey> checked = KeyLists.checked(keys);
        if (closed) {
            throw new IllegalStateException("the handle is closed");
        }
        KeySnapshot snapshot = new KeySnapshot(nextGeneration++, checked);
        decider.stage(snapshot);
        try {
            installation.publish(snapshot);
        } catch (RuntimeException e) {
            decider.abandonStaged();
            throw e;
        }
        decider.commitStaged();
        return snapshot;
    }

    public KeySnapshot setKeys(TicketKey... keys) {
        return setKeys(List.of(keys));
    }

    /** The counters so far. After close, the counts at close: the native handle may be gone with its context. */
    public synchronized TicketStats stats() {
        ShimStats shim = closed ? finalShimStats : installation.shimStats();
        return decider.stats(shim);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        finalShimStats = installation.shimStats();
        installation.close();
        closed = true;
    }

    @Override
    public String toString() {
        return "TicketKeeperHandle{sslCtx=0x" + Long.toHexString(sslCtx) + ", keys=" + keys() + ", closed="
                + isClosed() + "}";
    }
}
