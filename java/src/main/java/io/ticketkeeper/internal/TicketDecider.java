package io.ticketkeeper.internal;

import static io.ticketkeeper.internal.ShimCodes.KEY_ABORT;
import static io.ticketkeeper.internal.ShimCodes.KEY_REJECT;
import static io.ticketkeeper.internal.ShimCodes.KEY_RENEW;
import static io.ticketkeeper.internal.ShimCodes.KEY_USE;
import static io.ticketkeeper.internal.ShimCodes.SESSION_ABORT;
import static io.ticketkeeper.internal.ShimCodes.SESSION_IGNORE;
import static io.ticketkeeper.internal.ShimCodes.SESSION_IGNORE_RENEW;
import static io.ticketkeeper.internal.ShimCodes.SESSION_USE;
import static io.ticketkeeper.internal.ShimCodes.SESSION_USE_RENEW;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.ReplayAnswer;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketSession;
import io.ticketkeeper.TicketStats;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Java side of every upcall, shared by all backends: it asks the policy, guards against anything the policy
 * throws, maps answers to the shim's codes ({@link ShimCodes}) and counts. Nothing here throws, locks or allocates
 * in steady state.
 */
public final class TicketDecider {
    /** One of the counters of a {@link TicketCounters}: what {@link #count} counts in the totals and a context's. */
    private interface Event {
        LongAdder in(TicketCounters counters);
    }

    private static final Event SEALED = counters -> counters.sealed;
    private static final Event UNSEALED = counters -> counters.unsealed;
    private static final Event RESUMED = counters -> counters.resumed;
    private static final Event RENEWED = counters -> counters.renewed;
    private static final Event REJECTED_UNKNOWN_KEY = counters -> counters.rejectedUnknownKey;
    private static final Event REJECTED_BY_POLICY = counters -> counters.rejectedByPolicy;
    private static final Event REJECTED_OTHER_HOST = counters -> counters.rejectedOtherHost;
    private static final Event REJECTED_UNBOUND = counters -> counters.rejectedUnbound;
    private static final Event REJECTED_REUSED_TICKET = counters -> counters.rejectedReusedTicket;
    private static final Event REJECTED_UNCHECKED_TICKET = counters -> counters.rejectedUncheckedTicket;
    private static final Event ABORTED = counters -> counters.aborted;
    private static final Event FOREIGN_TICKET = counters -> counters.foreignTickets;
    private static final Event POLICY_ERROR = counters -> counters.policyErrors;

    private static final System.Logger LOG = System.getLogger("io.ticketkeeper");

    private final TicketPolicy policy;
    private final Clock clock;
    /** {@link io.ticketkeeper.TicketKeeperOptions#followServerName()}. */
    private final boolean followServerName;
    private final ThreadLocal<SessionView> sessionViews;
    /**
     * A published snapshot with its per-key counters by slot, read together so that a handshake racing a
     * publication never counts against another snapshot's slots. A key keeps its counters across publications.
     */
    private record Published(KeySnapshot keys, KeyCounters[] counters) {
    }

    private volatile Published current;
    /** The snapshot being replaced while a publication is under way; handshakes may still read it. */
    private volatile Published previous;
    private final Map<TicketKey, KeyCounters> countersByKey = new IdentityHashMap<>();
    private volatile long ticketTag;

    /**
     * One attached context as the upcalls see it, found by the context id the shim passes, which is its index in
     * {@link #contexts}: the host it seals for and its counters, so that counting needs no lookup and no lock.
     */
    public record Context(long hostId, TicketCounters counters, String description, boolean acceptsUnbound,
            byte[][] serverNames) {
        private static final byte[][] NO_NAMES = new byte[0][];

        /** A context that accepts tickets bound to no host, as one attached without a host name does. */
        public Context(long hostId, TicketCounters counters, String description) {
            this(hostId, counters, description, true, NO_NAMES);
        }

        /** A context that no server name names. */
        public Context(long hostId, TicketCounters counters, String description, boolean acceptsUnbound) {
            this(hostId, counters, description, acceptsUnbound, NO_NAMES);
        }

        /**
         * {@code names}: the host names (normalised as {@link HostScopes#normalize} does) whose server name
         * (SNI) makes a ticket decided for this context: its host's, and those of its host's sharing group.
         */
        public Context(long hostId, TicketCounters counters, String description, boolean acceptsUnbound,
                java.util.Collection<String> names) {
            this(hostId, counters, description, acceptsUnbound, utf8(names));
        }

        private static byte[][] utf8(java.util.Collection<String> names) {
            byte[][] bytes = new byte[names.size()][];
            int i = 0;
            for (String name : names) {
                bytes[i++] = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            return bytes;
        }

        /** Whether the server name in {@code view} names this context's host (or one of its sharing group). */
        boolean serves(SessionView view) {
            for (byte[] name : serverNames) {
                if (view.serverNameIs(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final Context[] NO_CONTEXTS = new Context[0];
    /** Replaced whole when a context joins or leaves (never on the handshake path). */
    private volatile Context[] contexts = NO_CONTEXTS;
    private final TicketCounters totals = new TicketCounters();
    private final FailureLog policyErrors = new FailureLog(Level.WARNING);
    private final FailureLog upcallErrors = new FailureLog(Level.ERROR);
    private final AtomicBoolean foreignWarned = new AtomicBoolean();

    /** The early data decision, or null while early data is off; set once, before the backend installs. */
    private volatile EarlyDataDecider earlyData;
    private volatile SingleUseTickets singleUse;

    /** Makes every TLS 1.3 ticket single-use (null: off, the default). */
    public void singleUse(SingleUseTickets singleUse) {
        this.singleUse = singleUse;
    }

    /** Sets the early data decision the upcalls use; before {@code Backend.install}. */
    public void earlyData(EarlyDataDecider earlyData) {
        this.earlyData = earlyData;
    }

    /** The early data decision, or null while early data is off. */
    public EarlyDataDecider earlyData() {
        return earlyData;
    }

    public TicketDecider(TicketPolicy policy, Clock clock, KeySnapshot initial) {
        this(policy, clock, initial, false);
    }

    /**
     * {@code followServerName}: decide a presented ticket for the attached context the client's server name names,
     * when one does ({@link io.ticketkeeper.TicketKeeperOptions.Builder#followServerName(boolean)}).
     */
    public TicketDecider(TicketPolicy policy, Clock clock, KeySnapshot initial, boolean followServerName) {
        this.followServerName = followServerName;
        this.policy = policy;
        this.clock = clock;
        this.current = new Published(initial, new KeyCounters[0]);
        this.sessionViews = ThreadLocal.withInitial(() -> new SessionView(clock));
    }

    public KeySnapshot currentKeys() {
        return current.keys();
    }

    /**
     * Gives {@code context} the lowest free context id (an index of a small array, reused once its context has
     * left) and returns it. Not called on the handshake path.
     */
    public synchronized int addContext(Context context) {
        Context[] now = contexts;
        int id = 0;
        while (id < now.length && now[id] != null) {
            id++;
        }
        Context[] next = Arrays.copyOf(now, Math.max(now.length, id + 1));
        next[id] = context;
        contexts = next;
        return id;
    }

    /** The context with {@code id} has left: no upcall names it any more, so its id may be given again. */
    public synchronized void removeContext(int id) {
        Context[] next = contexts.clone();
        if (id >= 0 && id < next.length) {
            next[id] = null;
        }
        contexts = next;
    }

    private Context context(long contextId) {
        Context[] now = contexts;
        return contextId >= 0 && contextId < now.length ? now[(int) contextId] : null;
    }

    /** The host id that tickets sealed on the context {@code contextId} are stamped with; 0 for an unknown id. */
    public long hostIdOf(long contextId) {
        Context context = context(contextId);
        return context == null ? 0 : context.hostId();
    }

    /**
     * The host id for the stamp upcall of the context {@code contextId}, or 0 for "no stamp" when the id names no
     * attached context: the shim then sends no ticket rather than one bound to no host, and counts it
     * ({@code unstampedTicketsRefused}).
     */
    public long stampHostId(long contextId) {
        Context context = context(contextId);
        if (context == null || context.hostId() == 0) {
            return 0;
        }
        return context.hostId();
    }

    /**
     * Makes {@code next} current while keeping the old snapshot readable until {@link #commitStaged()}. Stage,
     * abandon and commit are called by one publisher at a time.
     */
    public void stage(KeySnapshot next) {
        KeyCounters[] counters = new KeyCounters[next.size()];
        synchronized (countersByKey) {
            for (int slot = 0; slot < counters.length; slot++) {
                counters[slot] = countersByKey.computeIfAbsent(next.key(slot), key -> new KeyCounters());
            }
        }
        previous = current;
        current = new Published(next, counters);
    }

    /** The publication failed: the old snapshot is current again. */
    public void abandonStaged() {
        current = previous;
        previous = null;
        forgetUnpublishedKeys();
    }

    /** The shim no longer reads the old snapshot: drop it. */
    public void commitStaged() {
        previous = null;
        forgetUnpublishedKeys();
    }

    private void forgetUnpublishedKeys() {
        KeySnapshot now = current.keys();
        synchronized (countersByKey) {
            Map<TicketKey, Boolean> published = new IdentityHashMap<>();
            for (int slot = 0; slot < now.size(); slot++) {
                published.put(now.key(slot), Boolean.TRUE);
            }
            countersByKey.keySet().removeIf(key -> !published.containsKey(key));
        }
    }

    /** The counters of a published key; a key no longer published has none. */
    public KeyCounters countersOf(TicketKey key) {
        synchronized (countersByKey) {
            KeyCounters counters = countersByKey.get(key);
            return counters != null ? counters : new KeyCounters();
        }
    }

    /**
     * The one place that counts a handshake's outcome: in the handle's totals and, when the upcall named an attached
     * context, in that context's counters (first the totals, so that a failure in the context's still leaves them
     * counted).
     */
    private void count(Context context, Event event) {
        event.in(totals).increment();
        if (context != null) {
            event.in(context.counters()).increment();
        }
    }

    /** The counters of the key in {@code slot} of the snapshot {@code generation}, or null when it is not known. */
    private KeyCounters keyCounters(long generation, int slot) {
        Published published = published(generation);
        KeyCounters[] counters = published == null ? null : published.counters();
        return counters == null || slot < 0 || slot >= counters.length ? null : counters[slot];
    }

    private void keySealed(long generation, int slot) {
        KeyCounters counters = keyCounters(generation, slot);
        if (counters != null) {
            counters.sealed.increment();
        }
    }

    private void keyOpened(long generation, int slot) {
        KeyCounters counters = keyCounters(generation, slot);
        if (counters != null) {
            counters.opened.increment();
        }
    }

    private void keyRejected(long generation, int slot) {
        KeyCounters counters = keyCounters(generation, slot);
        if (counters != null) {
            counters.rejected.increment();
        }
    }

    /** The application tag stamped into tickets issued from now on. */
    public void ticketTag(long tag) {
        ticketTag = tag;
    }

    public long ticketTag() {
        return ticketTag;
    }

    /**
     * The lifetime in whole seconds of a ticket just sealed by the key in {@code slot} of snapshot
     * {@code generation}, as the policy sets it, or -1 to leave the session timeout alone. At least 1: 0 would
     * tell a TLS 1.2 client "unspecified". {@code nowMillis} is the time {@link #seal} chose the key at.
     */
    public long lifetimeSeconds(long generation, int slot, long nowMillis) {
        try {
            KeySnapshot keys = snapshot(generation);
            if (keys == null || slot < 0 || slot >= keys.size()) {
                return -1;
            }
            long millis = policy.ticketLifetimeMillis(keys, slot, nowMillis);
            return millis == Long.MAX_VALUE ? -1 : Math.max(1, millis / 1000);
        } catch (Throwable t) {
            policyFailed(null, "ticketLifetimeMillis", t);
            return -1;
        }
    }

    /** The snapshot published under {@code generation}, or the current one when it is no longer known. */
    public KeySnapshot keysFor(long generation) {
        KeySnapshot keys = snapshot(generation);
        return keys != null ? keys : current.keys();
    }

    private KeySnapshot snapshot(long generation) {
        Published published = published(generation);
        return published == null ? null : published.keys();
    }

    private Published published(long generation) {
        Published now = current;
        if (now.keys().generation() == generation) {
            return now;
        }
        Published before = previous;
        return before != null && before.keys().generation() == generation ? before : null;
    }

    public long nowMillis() {
        return clock.millis();
    }

    public long currentGeneration() {
        return current.keys().generation();
    }

    /** A per-thread view for {@link #session}; filled by the upcall body ({@link TicketUpcalls}). */
    public SessionView sessionView() {
        return sessionViews.get();
    }

    /**
     * Seal upcall for the context {@code contextId}: a slot of the snapshot {@code generation}, or -1 for no ticket,
     * chosen at {@code nowMillis} ({@link #nowMillis()}). The backend reads the clock once and passes the same time
     * to {@link #lifetimeSeconds}: the second clock read cost this upcall 26 ns of its 97 (TicketCallbackBenchmark).
     */
    public int seal(long contextId, long generation, long nowMillis) {
        Context context = context(contextId);
        try {
            KeySnapshot keys = snapshot(generation);
            if (keys == null) {
                return -1;
            }
            int slot = policy.selectKey(keys, nowMillis);
            if (slot >= 0 && slot < keys.size()) {
                count(context, SEALED);
                keySealed(generation, slot);
            } else if (slot < 0) {
                count(context, UNSEALED);
            }
            return slot;
        } catch (Throwable t) {
            policyFailed(context, "selectKey", t);
            return -1;
        }
    }

    /** Open upcall for the key in {@code slot} (-1: unknown) of the snapshot {@code generation}. */
    public int open(long contextId, long generation, int slot) {
        Context context = context(contextId);
        try {
            KeySnapshot keys = snapshot(generation);
            int knownSlot = keys == null ? -1 : slot;
            KeyDecision decision = policy.decideKey(keys == null ? current.keys() : keys, knownSlot, clock.millis());
            int code = keyCode(context, decision, knownSlot);
            if (knownSlot >= 0 && (code == KEY_USE || code == KEY_RENEW)) {
                keyOpened(generation, knownSlot);
            } else if (knownSlot >= 0) {
                keyRejected(generation, knownSlot);
            }
            return code;
        } catch (Throwable t) {
            policyFailed(context, "decideKey", t);
            return KEY_REJECT;
        }
    }

    private int keyCode(Context context, KeyDecision decision, int slot) {
        switch (decision) {
            case USE:
                return slot < 0 ? rejectUnknown(context) : KEY_USE;
            case RENEW:
                return slot < 0 ? rejectUnknown(context) : KEY_RENEW;
            case ABORT:
                return abort(context, KEY_ABORT);
            case REJECT:
            default:
                return slot < 0 ? rejectUnknown(context) : rejectByPolicy(context, KEY_REJECT);
        }
    }

    private int rejectUnknown(Context context) {
        count(context, REJECTED_UNKNOWN_KEY);
        return KEY_REJECT;
    }

    private int rejectByPolicy(Context context, int code) {
        count(context, REJECTED_BY_POLICY);
        return code;
    }

    private int abort(Context context, int code) {
        count(context, ABORTED);
        return code;
    }

    /**
     * Session upcall, with {@code view} filled by the backend. A ticket another library's key callback opened is
     * counted and reported once, and not decided (the shim ignores the answer); a ticket sealed for another
     * virtual host gives a full handshake before the policy is asked.
     */
    public int session(SessionView view) {
        Context context = context(view.contextId());
        try {
            if (view.foreign()) {
                return foreign(context);
            }
            context = intendedContext(context, view);
            if (view.opened() && view.boundHostId() != 0
                    && (context == null || context.hostId() != view.boundHostId())) {
                count(context, REJECTED_OTHER_HOST);
                return SESSION_IGNORE_RENEW;
            }
            if (view.opened() && view.boundHostId() == 0 && (context == null || !context.acceptsUnbound())) {
                return rejectUnbound(context);
            }
            SessionDecision decision = policy.decideSession(view);
            SingleUseTickets once = singleUse;
            if (once != null && view.opened() && view.protocolVersion() == TicketSession.TLS1_3
                    && (decision == SessionDecision.USE || decision == SessionDecision.USE_RENEW)) {
                ReplayAnswer answer = once.use(view, view.nowMillis());
                if (answer != ReplayAnswer.FIRST) {
                    count(context, answer == ReplayAnswer.REPLAY ? REJECTED_REUSED_TICKET : REJECTED_UNCHECKED_TICKET);
                    return SESSION_IGNORE_RENEW;
                }
            }
            return sessionCode(context, decision, view.opened());
        } catch (Throwable t) {
            policyFailed(context, "decideSession", t);
            return SESSION_IGNORE_RENEW;
        }
    }

    /**
     * The context a presented ticket is decided and counted for. OpenSSL opens tickets before a servername
     * callback switches contexts, so {@code connection} is the context the connection started on; with
     * {@code followServerName} the client's server name picks the attached context that serves that name
     * instead, the one such a callback switches to. A name that no attached context serves, no name, and a name
     * the connection's own context serves leave the connection's context: never a context that no name chose.
     * Contexts are few, and the loop allocates nothing.
     */
    private Context intendedContext(Context connection, SessionView view) {
        if (!followServerName || !view.hasServerName() || (connection != null && connection.serves(view))) {
            return connection;
        }
        Context[] now = contexts;
        for (Context candidate : now) {
            if (candidate != null && candidate.serves(view)) {
                return candidate;
            }
        }
        return connection;
    }

    /**
     * A ticket bound to no host (nginx's, a version-1 stamp) on a named host that does not accept those: it could
     * have been sealed for any host, so a full handshake and a fresh ticket, before the policy is asked.
     */
    private int rejectUnbound(Context context) {
        count(context, REJECTED_UNBOUND);
        return SESSION_IGNORE_RENEW;
    }

    private int foreign(Context context) {
        count(context, FOREIGN_TICKET);
        if (!foreignWarned.get() && foreignWarned.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, (context == null ? "an attached SSL_CTX" : context.description())
                    + ": a session ticket was opened by another ticket key callback, installed over TicketKeeper's "
                    + "after it (Netty's OpenSslSessionContext.setTicketKeys does this). TicketKeeper neither decides "
                    + "on such tickets nor counts them as its resumptions (stats().foreignTickets()); remove the "
                    + "other ticket keys so that TicketKeeper's keys seal and open again. Said once per handle.");
        }
        return SESSION_USE;
    }

    private int sessionCode(Context context, SessionDecision decision, boolean opened) {
        switch (decision) {
            case USE:
                resume(context, false);
                return SESSION_USE;
            case USE_RENEW:
                resume(context, true);
                return SESSION_USE_RENEW;
            case IGNORE:
                return opened ? rejectByPolicy(context, SESSION_IGNORE) : SESSION_IGNORE;
            case ABORT:
                return abort(context, SESSION_ABORT);
            case IGNORE_RENEW:
            default:
                return opened ? rejectByPolicy(context, SESSION_IGNORE_RENEW) : SESSION_IGNORE_RENEW;
        }
    }

    private void resume(Context context, boolean renew) {
        count(context, RESUMED);
        if (renew) {
            count(context, RENEWED);
        }
    }

    /**
     * Counts and logs a policy failure. Never throws, whatever it is given: an {@link Error} (a policy out of memory
     * or stack) may leave no room to count or log the usual way, which allocates; then the failure is counted by
     * an increment that allocates nothing ({@link TicketCounters#lastResort()}) and the caller answers safely.
     */
    private void policyFailed(Context context, String method, Throwable t) {
        try {
            count(context, POLICY_ERROR);
            policyErrors.record(t, count -> "TicketPolicy " + policy.getClass().getName() + "." + method
                    + " threw (policy error #" + count + "); the handshake got the safe outcome");
        } catch (Throwable countingFailed) {
            totals.lastResort();
        }
    }

    /**
     * A fault in a backend's own upcall code (not the policy's): counted and logged, never rethrown, with the same
     * last resort as a policy failure.
     */
    public void upcallFailed(String upcall, Throwable t) {
        try {
            totals.upcallErrors.increment();
            upcallErrors.record(t, count -> "TicketKeeper's " + upcall + " upcall failed (#" + count
                    + "); the handshake got the safe outcome");
        } catch (Throwable countingFailed) {
            totals.lastResort();
        }
    }

    /** The handle's totals over every context it ever had. */
    public TicketStats stats(ShimStats shim) {
        return totals.stats(shim);
    }
}
