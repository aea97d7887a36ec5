package io.ticketkeeper;

import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.CacheShimStats;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.session.SessionCacheMode;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;

import java.util.List;
import java.util.Objects;

/**
 * TicketKeeper installed on one server {@code SSL_CTX}. Closing it stops all calls into Java; the context then
 * issues no tickets and answers presented tickets with full handshakes. Closing is safe while other threads
 * handshake on the context, but must not happen from inside a {@link TicketPolicy} method.
 */
public final class TicketKeeperHandle implements AutoCloseable {
    private final long sslCtx;
    private final TicketDecider decider;
    private final Installation installation;
    private final Backend backend;
    private final SessionCacheBridge sessionCache;
    private CacheShimStats finalCacheStats;
    private long nextGeneration = 1;
    private boolean closed;
    private ShimStats finalShimStats;

    TicketKeeperHandle(Backend backend, long sslCtx, TicketKeeperOptions options) {
        this.sslCtx = sslCtx;
        this.decider = new TicketDecider(options.policy(), options.clock(), new KeySnapshot(0, List.of()));
        this.installation = backend.install(sslCtx, decider);
        this.backend = backend;
        SessionCacheOptions cache = options.sessionCache();
        this.sessionCache = cache == null ? null : new SessionCacheBridge(cache);
        List<TicketKey> keys = options.keys() != null ? options.keys() : List.of(TicketKey.generate());
        try {
            if (cache != null) {
                installation.installSessionCache(sslCtx, sessionCache,
                        cache.mode() == SessionCacheMode.INTERNAL_THEN_EXTERNAL);
            }
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

    /** The session cache counters, or null when the options installed no session cache. */
    public synchronized SessionCacheStats sessionCacheStats() {
        if (sessionCache == null) {
            return null;
        }
        return sessionCache.stats(closed ? finalCacheStats : installation.cacheShimStats());
    }

    /**
     * Warm start: adds persisted sessions (DER, as {@link io.ticketkeeper.session.SessionFiles} reads them) to
     * OpenSSL's internal session cache of this context, which serves them when the cache mode keeps the internal
     * cache ({@link SessionCacheMode#INTERNAL_THEN_EXTERNAL}, or OpenSSL's own server cache without a store).
     * Sessions already cached are skipped silently.
     *
     * @return the number of sessions added
     * @throws IllegalArgumentException naming the first session (by its index) that does not parse; the sessions
     *     before it were added
     */
    public synchronized int warmStart(List<byte[]> sessions) {
        Objects.requireNonNull(sessions, "sessions");
        if (closed) {
            throw new IllegalStateException("the handle is closed");
        }
        int added = 0;
        for (byte[] session : sessions) {
            try {
                backend.sessionNatives().addSession(sslCtx, Objects.requireNonNull(session, "session"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("session #" + added + " of the warm start is not an OpenSSL "
                        + "session (" + session.length + " bytes): " + e.getMessage(), e);
            }
            added++;
        }
        return added;
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
        finalCacheStats = sessionCache == null ? CacheShimStats.NONE : installation.cacheShimStats();
        installation.close();
        closed = true;
    }

    @Override
    public String toString() {
        return "TicketKeeperHandle{sslCtx=0x" + Long.toHexString(sslCtx) + ", keys=" + keys() + ", closed="
                + isClosed() + "}";
    }
}
