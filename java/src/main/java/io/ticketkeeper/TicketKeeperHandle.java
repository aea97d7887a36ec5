package io.ticketkeeper;

import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.CacheShimStats;
import io.ticketkeeper.internal.EarlyDataDecider;
import io.ticketkeeper.internal.HostScopes;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.KeyCounters;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.ShimCodes;
import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.SingleUseTickets;
import io.ticketkeeper.internal.TicketCounters;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.session.SessionCacheMode;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TicketKeeper's key ring, policy, session cache and counters, shared by the server {@code SSL_CTX}s
 * {@linkplain #attach(long, String) attached} to it: the virtual hosts and certificates of one server. Contexts
 * join and leave at run time (a server reload makes new ones), each with its own counters beside the handle's
 * totals, and each ticket is bound to the virtual host it was sealed for.
 *
 * <p>Closing the handle stops all calls into Java; its contexts then issue no tickets and answer presented
 * tickets with full handshakes. Closing, detaching a context, and a context freed by its owner are each safe in
 * any order and while other threads handshake, but must not happen from inside a {@link TicketPolicy} method.
 *
 * <p>With a {@link KeySource} in the options (a {@link KeyRotation} or {@link KeyFiles}), the handle owns one
 * daemon thread that refreshes the keys every {@link KeySource#checkInterval()}; {@link #refreshKeys()} does the
 * same at once. All times come from the options' clock.
 */
public final class TicketKeeperHandle implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.ticketkeeper");
    private static final AtomicLong HANDLES = new AtomicLong();

    private final Clock clock;
    private final TicketDecider decider;
    private final Installation installation;
    private final KeyRing ring;
    private final ScheduledExecutorService scheduler;
    private final SessionCacheOptions cacheOptions;
    private final SessionCacheBridge sessionCache;
    private final SessionIdContext sessionIdContext;
    private final HostScopes hostScopes;
    /** TLS 1.3 early data's decision, or null while it is off (the default: no callback is installed at all). */
    private final EarlyDataDecider earlyData;
    private final SingleUseTickets singleUse;
    /** Whether named contexts resume tickets bound to no host ({@link TicketKeeperOptions#acceptUnboundTickets()}). */
    private final boolean acceptUnboundTickets;
    /** The contexts attached and not known to have left, by address. */
    private final Map<Long, TicketContext> contexts = new LinkedHashMap<>();
    /** The context given to {@link TicketKeeper#install(long, TicketKeeperOptions)}, or null. */
    private TicketContext installContext;
    private CacheShimStats finalCacheStats;
    private long nextGeneration = 1;
    private boolean closed;
    private ShimStats finalShimStats;

    TicketKeeperHandle(Backend backend, TicketKeeperOptions options) {
        this.clock = options.clock();
        this.decider = new TicketDecider(options.policy(), options.clock(), KeySnapshot.EMPTY,
                options.followServerName());
        this.ring = new KeyRing(options.keySource().orElse(null), options.keyEventListener().orElse(null));
        this.cacheOptions = options.sessionCache().orElse(null);
        this.sessionCache = cacheOptions == null ? null : new SessionCacheBridge(cacheOptions, decider::hostIdOf);
        this.sessionIdContext = options.sessionIdContext().orElse(null);
        this.hostScopes = new HostScopes(options.sharedTicketHosts());
        this.acceptUnboundTickets = options.acceptUnboundTickets();
        this.earlyData = options.earlyData()
                .map(early -> new EarlyDataDecider(early, options.policy(), options.clock())).orElse(null);
        decider.earlyData(earlyData);
        this.singleUse = options.singleUseRecord().map(record -> new SingleUseTickets(record,
                options.singleUseTicketLifetime().toMillis())).orElse(null);
        decider.singleUse(singleUse);
        this.installation = backend.install(decider, sessionCache, KeyMaterial.READER);
        try {
            installation.computeTicketIds(singleUse != null);
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

    /** Attaches {@code sslCtx} as the context the handle was installed for ({@link #sslCtx()}). */
    TicketKeeperHandle attachInstallContext(long sslCtx) {
        try {
            installContext = attach(sslCtx);
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ScheduledExecutorService startScheduler(KeySource source) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ticketkeeper-keys-" + HANDLES.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        long interval = source.checkInterval().toMillis();
        executor.scheduleWithFixedDelay(this::refreshQuietly, interval, interval, TimeUnit.MILLISECONDS);
        return executor;
    }

    private void refreshQuietly() {
        try {
            synchronized (this) {
                if (!closed) {
                    sweep();
                }
            }
            refreshKeys();
        } catch (RuntimeException e) {
            // Recorded as a LOAD_FAILED event and logged by the ring; the keys in force stay in force.
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "TicketKeeper's key refresh failed", t);
        }
    }

    /**
     * Attaches the server context {@code sslCtx} for the virtual host {@code hostName}: its handshakes use the
     * handle's keys, policy and session cache, and its tickets are bound to {@code hostName}. A ticket it sealed
     * resumes on every context attached for the same host (or for a host of the same
     * {@linkplain TicketKeeperOptions.Builder#shareTickets sharing group}), on this server or on any other that
     * shares the keys, and gives a full handshake elsewhere, counted as {@link TicketStats#rejectedOtherHost()}.
     * The options' session id context and session cache are set up on it. Do not attach while the context
     * handshakes. Findings about the context ({@link TicketContext#findings()}) are logged as warnings.
     *
     * @throws IllegalArgumentException when {@code sslCtx} is 0 or {@code hostName} is empty or holds white space
     * @throws IllegalStateException when the handle is closed or the context is attached to it already
     * @throws TicketKeeperException when the context carries another TicketKeeper handle, or OpenSSL fails
     */
    public synchronized TicketContext attach(long sslCtx, String hostName) {
        return attachFor(sslCtx, HostScopes.normalize(hostName));
    }

    /**
     * Attaches {@code sslCtx} without a host name, as {@link TicketKeeper#install(long, TicketKeeperOptions)}
     * does: its tickets are bound to the contexts attached without a host name. Name the host when one server
     * has several.
     */
    public synchronized TicketContext attach(long sslCtx) {
        return attachFor(sslCtx, null);
    }

    private TicketContext attachFor(long sslCtx, String hostName) {
        if (sslCtx == 0) {
            throw new IllegalArgumentException("sslCtx is NULL");
        }
        checkOpen();
        sweep();
        TicketContext present = contexts.get(sslCtx);
        if (present != null) {
            throw new IllegalStateException(present.describe() + " is attached to this handle already");
        }
        TicketCounters counters = new TicketCounters();
        String host = hostName == null ? HostScopes.UNNAMED : hostName;
        int id = decider.addContext(new TicketDecider.Context(hostScopes.idOf(host), counters,
                TicketContext.describe(sslCtx, hostName), hostName == null || acceptUnboundTickets,
                hostScopes.namesOf(host)));
        TicketContext context = new TicketContext(this, sslCtx, hostName, id, counters);
        try {
            installation.attach(sslCtx, id);
        } catch (RuntimeException e) {
            decider.removeContext(id);
            throw e;
        }
        try {
            configure(context);
        } catch (RuntimeException e) {
            try {
                installation.detach(sslCtx);
            } catch (RuntimeException detachFailed) {
                e.addSuppressed(detachFailed);
            }
            leave(context, TicketContext.State.DETACHED);
            throw e;
        }
        contexts.put(sslCtx, context);
        return context;
    }

    private void configure(TicketContext context) {
        long sslCtx = context.sslCtx();
        if (cacheOptions != null) {
            installation.attachSessionCache(sslCtx, cacheOptions.mode() == SessionCacheMode.INTERNAL_THEN_EXTERNAL);
        }
        if (sessionIdContext != null) {
            applySessionIdContext(context, sessionIdContext);
        }
        if (earlyData != null) {
            earlyData.addContext(context.id(), context.hostName().orElse(null));
            installation.attachEarlyData(sslCtx, earlyData.maxBytes());
        }
        Set<TicketContext.Finding> findings = findingsOf(sslCtx);
        context.findings(findings);
        for (TicketContext.Finding finding : findings) {
            LOG.log(Level.WARNING, context.describe() + ": " + warning(finding));
        }
    }

    private static String warning(TicketContext.Finding finding) {
        switch (finding) {
            case NO_TICKET:
                return "SSL_OP_NO_TICKET is set, so TLS 1.2 clients get no session tickets and TLS 1.3 tickets are "
                        + "stateful (kept in the session cache): TicketKeeper's keys seal nothing there. Clear the "
                        + "option (Netty sets it by default; ticketkeeper-netty clears it).";
            case CACHE_CALLBACKS_REPLACED:
            default:
                return "TicketKeeper's session cache replaced the session cache callbacks another library had "
                        + "registered (Netty's session cache, for one); that library no longer sees its sessions.";
        }
    }

    private Set<TicketContext.Finding> findingsOf(long sslCtx) {
        int flags = installation.contextFindings(sslCtx);
        Set<TicketContext.Finding> findings = EnumSet.noneOf(TicketContext.Finding.class);
        if ((flags & ShimCodes.FINDING_NO_TICKET) != 0) {
            findings.add(TicketContext.Finding.NO_TICKET);
        }
        if ((flags & ShimCodes.FINDING_CACHE_CALLBACKS_REPLACED) != 0) {
            findings.add(TicketContext.Finding.CACHE_CALLBACKS_REPLACED);
        }
        return findings;
    }

    /** Takes {@code sslCtx} out of the handle ({@link TicketContext#detach()}). */
    public synchronized void detach(long sslCtx) {
        TicketContext context = contexts.get(sslCtx);
        if (context == null) {
            throw new IllegalStateException("SSL_CTX 0x" + Long.toHexString(sslCtx) + " is not attached to this "
                    + "handle");
        }
        detach(context);
    }

    synchronized void detach(TicketContext context) {
        requireAttached(context);
        installation.detach(context.sslCtx());
        leave(context, TicketContext.State.DETACHED);
    }

    /** The contexts attached now, in the order they were attached; contexts freed by their owners are left out. */
    public synchronized List<TicketContext> contexts() {
        if (!closed) {
            sweep();
        }
        return List.copyOf(contexts.values());
    }

    /** The attached context at {@code sslCtx}, if any. */
    public synchronized Optional<TicketContext> context(long sslCtx) {
        if (!closed) {
            sweep();
        }
        return Optional.ofNullable(contexts.get(sslCtx));
    }

    /** Asks the shim which contexts their owners freed, and lets those go: their ids may serve new contexts. */
    private void sweep() {
        for (TicketContext context : List.copyOf(contexts.values())) {
            refreshState(context);
        }
    }

    private void refreshState(TicketContext context) {
        if (closed || context.knownState() != TicketContext.State.ATTACHED) {
            return;
        }
        int state = installation.contextState(context.id());
        if (state == ShimCodes.CONTEXT_FREED) {
            leave(context, TicketContext.State.FREED);
        }
    }

    synchronized void refresh(TicketContext context) {
        refreshState(context);
    }

    synchronized void refreshFindings(TicketContext context) {
        refreshState(context);
        if (context.knownState() == TicketContext.State.ATTACHED) {
            context.findings(findingsOf(context.sslCtx()));
        }
    }

    /** No upcall names {@code context} any more (detached, or freed): its id is free again. */
    private void leave(TicketContext context, TicketContext.State state) {
        context.state(state);
        contexts.remove(context.sslCtx(), context);
        decider.removeContext(context.id());
        if (earlyData != null) {
            earlyData.removeContext(context.id());
        }
    }

    private void requireAttached(TicketContext context) {
        if (context.handle() != this) {
            throw new IllegalArgumentException(context + " belongs to another handle");
        }
        checkOpen();
        refreshState(context);
        switch (context.knownState()) {
            case ATTACHED:
                return;
            case FREED:
                throw new IllegalStateException(context.describe() + " was freed by its owner, so TicketKeeper no "
                        + "longer touches it");
            default:
                throw new IllegalStateException(context.describe() + " is " + context.knownState().name()
                        .toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The address of the {@code SSL_CTX} given to {@link TicketKeeper#install(long, TicketKeeperOptions)}.
     *
     * @throws IllegalStateException when the handle was installed without a context
     */
    public long sslCtx() {
        return installContext().sslCtx();
    }

    private TicketContext installContext() {
        if (installContext == null) {
            throw new IllegalStateException("this handle was installed without a context; use the TicketContext "
                    + "that attach(...) returned, or contexts()");
        }
        return installContext;
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
            installation.observe(decider.currentKeys(), now);
            return decider.currentKeys();
        }
        KeySnapshot snapshot = KeySnapshot.scheduled(nextGeneration++, next);
        decider.stage(snapshot);
        try {
            installation.publish(snapshot);
            installation.observe(snapshot, now);
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
     * Sets the session id context of the context given to {@link TicketKeeper#install(long, TicketKeeperOptions)}
     * ({@link TicketContext#setSessionIdContext} for the others). Must not race with handshakes. Returns the bytes
     * set.
     *
     * @throws IllegalStateException when the handle is closed, was installed without a context, or the context's
     *     owner has freed it
     */
    public synchronized byte[] setSessionIdContext(SessionIdContext context) {
        return setSessionIdContext(installContext(), context);
    }

    synchronized byte[] setSessionIdContext(TicketContext target, SessionIdContext context) {
        Objects.requireNonNull(context, "sessionIdContext");
        requireAttached(target);
        return applySessionIdContext(target, context);
    }

    private byte[] applySessionIdContext(TicketContext target, SessionIdContext context) {
        byte[] bytes = context.fixedBytes();
        if (bytes == null) {
            bytes = installation.nginxSessionIdContext(target.sslCtx(), context.nginxPrefix());
        }
        installation.setSessionIdContext(target.sslCtx(), bytes);
        return bytes;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the handle is closed");
        }
    }

    /**
     * The totals over every context the handle ever had. After close, the counts at close: the native handle may
     * be gone with its contexts. Each context's own: {@link TicketContext#stats()}.
     */
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
     * OpenSSL's internal session cache of the context given to {@link TicketKeeper#install(long,
     * TicketKeeperOptions)} ({@link TicketContext#warmStart} for the others), which serves them when the cache
     * mode keeps the internal cache ({@link SessionCacheMode#INTERNAL_THEN_EXTERNAL}, or OpenSSL's own server
     * cache without a store). Sessions already cached are skipped silently.
     *
     * @return the number of sessions added
     * @throws IllegalArgumentException naming the first session (by its index) that does not parse; the sessions
     *     before it were added
     * @throws IllegalStateException when the handle is closed, was installed without a context, or the context's
     *     owner has freed it
     */
    public synchronized int warmStart(List<byte[]> sessions) {
        return warmStart(installContext(), sessions);
    }

    synchronized int warmStart(TicketContext target, List<byte[]> sessions) {
        Objects.requireNonNull(sessions, "sessions");
        requireAttached(target);
        int added = 0;
        for (byte[] session : sessions) {
            try {
                installation.addSession(target.sslCtx(), Objects.requireNonNull(session, "session"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("session #" + added + " of the warm start is not an OpenSSL "
                        + "session (" + session.length + " bytes): " + e.getMessage(), e);
            }
            added++;
        }
        return added;
    }

    /**
     * The TLS 1.3 early data of the server connection {@code ssl} (an {@code SSL *}) on one of this handle's
     * contexts: whether the request it carries came as early data ({@link EarlyDataStatus#ACCEPTED}), so that the
     * application can answer 425 Too Early or mark it (RFC 8470). Call it once the handshake finished (early data
     * read with {@code SSL_read_early_data} is ACCEPTED from the moment OpenSSL accepted it).
     *
     * @throws IllegalArgumentException when {@code ssl} is 0
     */
    public EarlyDataStatus earlyDataStatus(long ssl) {
        if (ssl == 0) {
            throw new IllegalArgumentException("ssl is NULL");
        }
        switch (installation.earlyDataStatus(ssl)) {
            case 2:
                return EarlyDataStatus.ACCEPTED;
            case 1:
                return EarlyDataStatus.REJECTED;
            default:
                return EarlyDataStatus.NOT_SENT;
        }
    }

    /** Whether TLS 1.3 early data is on ({@link TicketKeeperOptions.Builder#earlyData}). */
    public boolean earlyDataEnabled() {
        return earlyData != null;
    }

    /** What the handle decided on early data; {@link EarlyDataStats#NONE} while early data is off. */
    public EarlyDataStats earlyDataStats() {
        return earlyData == null ? EarlyDataStats.NONE : earlyData.stats();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes the single-use record, unless early data's record is the same one (closed with it). */
    private void closeSingleUseRecord() {
        if (singleUse == null || (earlyData != null && earlyData.record() == singleUse.record())) {
            return;
        }
        try {
            singleUse.record().close();
        } catch (Exception e) {
            System.getLogger("io.ticketkeeper").log(System.Logger.Level.WARNING,
                    "closing the single-use ticket record failed: " + e);
        }
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
            if (earlyData != null) {
                earlyData.close();
            }
            closeSingleUseRecord();
            closed = true;
            for (TicketContext context : contexts.values()) {
                context.state(TicketContext.State.CLOSED);
            }
            contexts.clear();
        }
    }

    @Override
    public String toString() {
        return "TicketKeeperHandle{contexts=" + contexts() + ", keys=" + keys() + ", closed=" + isClosed() + "}";
    }
}
