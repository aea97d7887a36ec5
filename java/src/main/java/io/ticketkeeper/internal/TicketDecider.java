package io.ticketkeeper.internal;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketStats;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Java side of every upcall, shared by all backends: it asks the policy, guards against anything the policy
 * throws, maps answers to the shim's codes and counts. Nothing here throws, locks or allocates in steady state.
 */
public final class TicketDecider {
    /** The shim's codes (include/ticketkeeper.h). */
    public static final int KEY_ABORT = -1;
    public static final int KEY_REJECT = 0;
    public static final int KEY_USE = 1;
    public static final int KEY_RENEW = 2;
    public static final int SESSION_ABORT = 0;
    public static final int SESSION_IGNORE = 1;
    public static final int SESSION_IGNORE_RENEW = 2;
    public static final int SESSION_USE = 3;
    public static final int SESSION_USE_RENEW = 4;

    private final TicketPolicy policy;
    private final Clock clock;
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

    private final LongAdder sealed = new LongAdder();
    private final LongAdder unsealed = new LongAdder();
    private final LongAdder resumed = new LongAdder();
    private final LongAdder renewed = new LongAdder();
    private final LongAdder rejectedUnknownKey = new LongAdder();
    private final LongAdder rejectedByPolicy = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final FailureLog policyErrors = new FailureLog(Level.WARNING);
    private final FailureLog upcallErrors = new FailureLog(Level.ERROR);

    public TicketDecider(TicketPolicy policy, Clock clock, KeySnapshot initial) {
        this.policy = policy;
        this.clock = clock;
        this.current = new Published(initial, new KeyCounters[0]);
        this.sessionViews = ThreadLocal.withInitial(() -> new SessionView(clock));
    }

    public KeySnapshot currentKeys() {
        return current.keys();
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

    private KeyCounters[] countersFor(long generation) {
        Published published = published(generation);
        return published == null ? null : published.counters();
    }

    private void count(long generation, int slot, int what) {
        KeyCounters[] counters = countersFor(generation);
        if (counters == null || slot < 0 || slot >= counters.length) {
            return;
        }
        switch (what) {
            case 0:
                counters[slot].sealed.increment();
                break;
            case 1:
                counters[slot].opened.increment();
                break;
            default:
                counters[slot].rejected.increment();
                break;
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
            policyFailed("ticketLifetimeMillis", t);
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

    /** A per-thread view for {@link #session}; filled by the backend. */
    public SessionView sessionView() {
        return sessionViews.get();
    }

    /**
     * Seal upcall for the context {@code contextId}: a slot of the snapshot {@code generation}, or -1 for no ticket,
     * chosen at {@code nowMillis} ({@link #nowMillis()}). The backend reads the clock once and passes the same time
     * to {@link #lifetimeSeconds}: the second clock read cost this upcall 26 ns of its 97 (TicketCallbackBenchmark).
     */
    public int seal(long contextId, long generation, long nowMillis) {
        try {
            KeySnapshot keys = snapshot(generation);
            if (keys == null) {
                return -1;
            }
            int slot = policy.selectKey(keys, nowMillis);
            if (slot >= 0 && slot < keys.size()) {
                sealed.increment();
                count(generation, slot, 0);
            } else if (slot < 0) {
                unsealed.increment();
            }
            return slot;
        } catch (Throwable t) {
            policyFailed("selectKey", t);
            return -1;
        }
    }

    /** Open upcall for the key in {@code slot} (-1: unknown) of the snapshot {@code generation}. */
    public int open(long contextId, long generation, int slot) {
        try {
            KeySnapshot keys = snapshot(generation);
            int knownSlot = keys == null ? -1 : slot;
            KeyDecision decision = policy.decideKey(keys == null ? current.keys() : keys, knownSlot, clock.millis());
            int code = keyCode(decision, knownSlot);
            if (knownSlot >= 0) {
                count(generation, knownSlot, code == KEY_USE || code == KEY_RENEW ? 1 : 2);
            }
            return code;
        } catch (Throwable t) {
            policyFailed("decideKey", t);
            return KEY_REJECT;
        }
    }

    private int keyCode(KeyDecision decision, int slot) {
        switch (decision) {
            case USE:
                return slot < 0 ? rejectUnknown() : KEY_USE;
            case RENEW:
                return slot < 0 ? rejectUnknown() : KEY_RENEW;
            case ABORT:
                aborted.increment();
                return KEY_ABORT;
            case REJECT:
            default:
                return slot < 0 ? rejectUnknown() : rejectByPolicy(KEY_REJECT);
        }
    }

    private int rejectUnknown() {
        rejectedUnknownKey.increment();
        return KEY_REJECT;
    }

    private int rejectByPolicy(int code) {
        rejectedByPolicy.increment();
        return code;
    }

    /** Session upcall, with {@code view} filled by the backend. */
    public int session(SessionView view) {
        try {
            return sessionCode(policy.decideSession(view), view.opened());
        } catch (Throwable t) {
            policyFailed("decideSession", t);
            return SESSION_IGNORE_RENEW;
        }
    }

    private int sessionCode(SessionDecision decision, boolean opened) {
        switch (decision) {
            case USE:
                resumed.increment();
                return SESSION_USE;
            case USE_RENEW:
                resumed.increment();
                renewed.increment();
                return SESSION_USE_RENEW;
            case IGNORE:
                return opened ? rejectByPolicy(SESSION_IGNORE) : SESSION_IGNORE;
            case ABORT:
                aborted.increment();
                return SESSION_ABORT;
            case IGNORE_RENEW:
            default:
                return opened ? rejectByPolicy(SESSION_IGNORE_RENEW) : SESSION_IGNORE_RENEW;
        }
    }

    private void policyFailed(String method, Throwable t) {
        policyErrors.record(t, count -> "TicketPolicy " + policy.getClass().getName() + "." + method
                + " threw (policy error #" + count + "); the handshake got the safe outcome");
    }

    /** A fault in a backend's own upcall code (not the policy's): counted and logged, never rethrown. */
    public void upcallFailed(String upcall, Throwable t) {
        upcallErrors.record(t, count -> "TicketKeeper's " + upcall + " upcall failed (#" + count
                + "); the handshake got the safe outcome");
    }

    public TicketStats stats(ShimStats shim) {
        return new TicketStats(sealed.sum(), resumed.sum(), renewed.sum(), rejectedUnknownKey.sum(),
                rejectedByPolicy.sum(), aborted.sum(), policyErrors.count(), upcallErrors.count(),
                shim.closedCallbacks(), shim.detachedCallbacks(), shim.cryptoErrors(), shim.badDecisions(),
                unsealed.sum());
    }
}
