package io.ticketkeeper;

import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.CacheShimStats;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.KeyCounters;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.session.SessionCacheMode;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TicketKeeper installed on one server {@code SSL_CTX}. Closing it stops all calls into Java; the context then
 * issues no tickets and answers presented tickets with full handshakes. Closing is safe while other threads
 * handshake on the context, but must not happen from inside a {@link TicketPolicy} method.
 *
 * <p>With a {@link KeySource} in the options (a {@link KeyRotation} or {@link KeyFiles}), the handle owns one
 * daemon thread that refreshes the keys every {@link KeySource#checkInterval()}; {@link #refreshKeys()} does the
 * same at once. All times come from the options' clock.
 */
public final class TicketKeeperHandle implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.ticketkeeper");

    /** The one context of this handle, attached under this id (several contexts per handle come later). */
    private static final long CONTEXT_ID = 0;

    private final long sslCtx;
    private final Clock clock;
    private final TicketDecider decider;
    private final Installation installation;
    private final KeyRing ring;
    private final ScheduledExecutorService scheduler;
    private final SessionCacheBridge sessionCache;
    private CacheShimStats finalCacheStats;
    private long nextGeneration = 1;
    private boolean closed;
    private ShimStats finalShimStats;

    TicketKeeperHandle(Backend backend, long sslCtx, TicketKeeperOptions options) {
        this.sslCtx = sslCtx;
        this.clock = options.clock();
        this.decider = new TicketDecider(options.policy(), options.clock(), KeySnapshot.EMPTY);
        this.ring = new KeyRing(options.keySource().orElse(null), options.keyEventListener().orElse(null));
        SessionCacheOptions cache = options.sessionCache().orElse(null);
        this.sessionCache = cache == null ? null : new SessionCacheBridge(cache);
        this.installation = backend.install(decider, sessionCache, KeyMaterial.READER);
        try {
            installation.attach(sslCtx, CONTEXT_ID);
            if (cache != null) {
                installation.attachSessionCache(sslCtx, cache.mode() == SessionCacheMode.INTERNAL_THEN_EXTERNAL);
            }
            options.sessionIdContext().ifPresent(this::setSessionIdContext);
            if (options.keySource().isPresent()) {
                refreshKeys();
            } else {
                setKeys(options.keys().orElseGet(() -> List.of(TicketKey.generate())));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.scheduler = options.keySource().map(this::startScheduler).orElse(null);
    }

    private ScheduledExecutorService startScheduler(KeySource source) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ticketkeeper-keys-0x" + Long.toHexString(sslCtx));
            thread.setDaemon(true);
            return thread;
        });
        long interval = source.checkInterval().toMillis();
        executor.scheduleWithFixedDelay(this::refreshQuietly, interval, interval, TimeUnit.MILLISECONDS);
        return executor;
    }

    private void refreshQuietly() {
        try {
            refreshKeys();
        } catch (RuntimeException e) {
            // Recorded as a LOAD_FAILED event and logged by the ring; the keys in force stay in force.
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "TicketKeeper's key refresh failed", t);
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
     * Publishes {@code keys} in place of the current keys, with no time limits: the first seals, all open.
     * Handshakes on other threads see the old or the new set, never a mix; when this returns, none still uses the
     * old set and its native copy has been cleansed. On failure the current keys stay in force. The keys stay the
     * caller's: the handle never destroys them.
     *
     * @throws IllegalArgumentException when a key is destroyed or two keys share a name
     * @throws IllegalStateException when the handle is closed
     */
    public synchronized KeySnapshot setKeys(List<TicketKey> keys) {
        return publish(ScheduledKey.firstSeals(KeyLists.checked(keys)), false);
    }

    public KeySnapshot setKeys(TicketKey... keys) {
        return setKeys(List.of(keys));
    }

    /**
     * Publishes scheduled keys in place of the current ones. Keys past their open-until time are left out;
     * keys that later expire or are replaced are destroyed once no handshake can use them. A key source, if
     * configured, takes over again at its next refresh.
     *
     * @throws IllegalArgumentException when a key is destroyed or two keys share a name
     * @throws IllegalStateException when the handle is closed
     */
    public synchronized KeySnapshot setSchedule(List<ScheduledKey> keys) {
        return publish(List.copyOf(keys), true);
    }

    /**
     * Brings the keys up to date at the clock's current time: asks the key source (rotation, files), drops keys
     * past their open-until time, publishes when anything changed and records key events. The handle's
     * scheduler calls this every check interval; tests call it after moving a manual clock.
     *
     * @throws TicketKeeperException when the key source fails (for example a {@link KeyFileException}); the keys
     *     in force stay in force and a {@link KeyEvent.Type#LOAD_FAILED} event is recorded
     */
    public synchronized KeySnapshot refreshKeys() {
        return publish(null, true);
    }

    private KeySnapshot publish(List<ScheduledKey> proposed, boolean ownsNew) {
        checkOpen();
        long now = clock.millis();
        List<ScheduledKey> next = ring.next(now, proposed);
        if (next == null) {
            ring.observe(now);
            return decider.currentKeys();
        }
        KeySnapshot snapshot = KeySnapshot.scheduled(nextGeneration++, next);
        decider.stage(snapshot);
        try {
            installation.publish(snapshot);
        } catch (RuntimeException e) {
            decider.abandonStaged();
            throw e;
        }
        decider.commitStaged();
        ring.published(now, next, ownsNew);
        return snapshot;
    }

    /** The application tag stamped into every ticket issued from now on, for {@link TicketRevocations#revokeTag}. */
    public void setTicketTag(long tag) {
        decider.ticketTag(tag);
    }

    /**
     * Sets the context's session id context, which must equal that of every server that shares tickets with this
     * one. Must not race with handshakes. Returns the bytes set.
     *
     * @throws IllegalStateException when the handle is closed, or the context's owner has freed it
     */
    public synchronized byte[] setSessionIdContext(SessionIdContext context) {
        checkOpen();
        byte[] bytes = context.fixedBytes();
        if (bytes == null) {
            bytes = installation.nginxSessionIdContext(sslCtx, context.nginxPrefix());
        }
        installation.setSessionIdContext(sslCtx, bytes);
        return bytes;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the handle is closed");
        }
    }

    /** The counters so far. After close, the counts at close: the native handle may be gone with its context. */
    public synchronized TicketStats stats() {
        ShimStats shim = closed ? finalShimStats : installation.shimStats();
        return decider.stats(shim);
    }

    /** The key ring's size, generation and event counts. */
    public synchronized KeyRingStats keyRingStats() {
        return ring.stats(decider.currentKeys());
    }

    /** Each published key's schedule, state and counters, in slot order (newest first). */
    public synchronized List<KeyStats> keyStats() {
        KeySnapshot keys = decider.currentKeys();
        long now = clock.millis();
        List<KeyStats> stats = new ArrayList<>(keys.size());
        for (int slot = 0; slot < keys.size(); slot++) {
            ScheduledKey key = keys.scheduledKey(slot);
            KeyCounters counters = decider.countersOf(key.key());
            stats.add(new KeyStats(key.key().displayName(), key.stateAt(now), key.notBefore(), key.sealUntil(),
                    key.openUntil(), counters.sealed(), counters.opened(), counters.rejected()));
        }
        return List.copyOf(stats);
    }

    /** The session cache counters, or empty when the options installed no session cache. */
    public synchronized Optional<SessionCacheStats> sessionCacheStats() {
        if (sessionCache == null) {
            return Optional.empty();
        }
        return Optional.of(sessionCache.stats(closed ? finalCacheStats : installation.cacheShimStats()));
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
     * @throws IllegalStateException when the handle is closed, or the context's owner has freed it
     */
    public synchronized int warmStart(List<byte[]> sessions) {
        Objects.requireNonNull(sessions, "sessions");
        checkOpen();
        int added = 0;
        for (byte[] session : sessions) {
            try {
                installation.addSession(sslCtx, Objects.requireNonNull(session, "session"));
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
    public void close() {
        // The scheduler stops first and outside the lock: a refresh in progress holds the lock.
        ScheduledExecutorService executor = scheduler;
        if (executor != null) {
            executor.shutdownNow();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            finalShimStats = installation.shimStats();
            finalCacheStats = sessionCache == null ? CacheShimStats.NONE : installation.cacheShimStats();
            installation.close();
            closed = true;
        }
    }

    @Override
    public String toString() {
        return "TicketKeeperHandle{sslCtx=0x" + Long.toHexString(sslCtx) + ", keys=" + keys() + ", closed="
                + isClosed() + "}";
    }
}
