package io.ticketkeeper.internal;

import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStore;

import java.util.Optional;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Java side of the session cache upcalls, shared by all backends: it calls the store, turns anything the
 * store throws into a miss (or a skipped store), and counts. Nothing here throws.
 */
public final class SessionCacheBridge {
    /** The shim's bound on a session's DER form (TK_SESSION_MAX_DER_LEN). */
    public static final int MAX_SESSION_BYTES = 16384;

    private final SessionStore store;
    private final boolean singleUse;
    private final LongAdder lookups = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder removed = new LongAdder();
    private final FailureLog storeFailures = new FailureLog(Level.WARNING);
    private final LongAdder tooLarge = new LongAdder();

    public SessionCacheBridge(SessionCacheOptions options) {
        this.store = options.store();
        this.singleUse = options.singleUse();
    }

    /** New-session upcall: hands the session to the store for {@code timeoutSeconds}. */
    public void newSession(byte[] id, byte[] session, long timeoutSeconds) {
        try {
            store.put(SessionId.of(id), session, Duration.ofSeconds(Math.max(0, timeoutSeconds)));
            stored.increment();
        } catch (Throwable t) {
            failed("put", t);
        }
    }

    /** Get upcall: the session under {@code id}, at most {@link #MAX_SESSION_BYTES} long, or null for a miss. */
    public byte[] lookUp(byte[] id) {
        lookups.increment();
        byte[] session;
        try {
            SessionId key = SessionId.of(id);
            Optional<byte[]> answer = singleUse ? store.take(key) : store.get(key);
            session = answer == null ? null : answer.orElse(null);
        } catch (Throwable t) {
            failed(singleUse ? "take" : "get", t);
            session = null;
        }
        if (session != null && session.length > MAX_SESSION_BYTES) {
            tooLarge.increment();
            session = null;
        }
        if (session == null || session.length == 0) {
            misses.increment();
            return null;
        }
        hits.increment();
        return session;
    }

    /** Remove upcall. */
    public void remove(byte[] id) {
        try {
            store.remove(SessionId.of(id));
            removed.increment();
        } catch (Throwable t) {
            failed("remove", t);
        }
    }

    /** A fault in a backend's own upcall code: counted as a store failure, logged, never rethrown. */
    public void upcallFailed(String upcall, Throwable t) {
        failed(upcall + " upcall", t);
    }

    private void failed(String operation, Throwable t) {
        storeFailures.record(t, count -> "session store " + store + " failed in " + operation + " (failure #" + count
                + "); the handshake went on without it");
    }

    public SessionCacheStats stats(CacheShimStats shim) {
        return new SessionCacheStats(lookups.sum(), hits.sum(), misses.sum(), stored.sum(), removed.sum(),
                storeFailures.count(), tooLarge.sum() + shim.tooLarge(), shim.badSessions(), shim.statelessSkipped(),
                shim.closedCallbacks());
    }
}
