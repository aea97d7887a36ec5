package io.ticketkeeper.internal;

import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStore;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;

/**
 * The Java side of the session cache upcalls, shared by all backends: it calls the store, turns anything the
 * store throws into a miss (or a skipped store), and counts. Nothing here throws.
 *
 * <p>Every entry it hands the store is bound to the virtual host of the context that stored it:
 * {@code format(1) = 0x01 | hostId(8, big-endian) | DER}. A lookup from a context of another host (or an entry
 * without the header, as a store filled by an older version holds) is a miss, counted as {@code otherHostMisses}:
 * the session id of {@code a.test} gives a full handshake on {@code b.test}, as its tickets do. A DER session
 * starts with 0x30 (a SEQUENCE), so the format byte tells the two apart. The store sees opaque bytes; the
 * {@link SessionStore} SPI stays {@code byte[]} in, {@code byte[]} out.
 *
 * <p>Session bytes hold the master secret: every array this class hands to the store, or gets back from it, is
 * wiped once used ({@code put}'s argument when put returns, {@code get}'s answer once copied to OpenSSL); stores
 * copy what they keep and answer with a copy the caller owns.
 */
public final class SessionCacheBridge {
    /** The shim's bound on a session's DER form (TK_SESSION_MAX_DER_LEN). */
    public static final int MAX_SESSION_BYTES = 16384;
    /** The first byte of an entry bound to a host (a DER session starts with 0x30). */
    public static final byte HOST_BOUND_FORMAT = 0x01;
    /** The bytes before the DER in an entry: the format byte and the host id. */
    public static final int HEADER = 1 + Long.BYTES;

    private final SessionStore store;
    private final boolean singleUse;
    private final LongUnaryOperator hostOf;
    private final LongAdder lookups = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder removed = new LongAdder();
    private final LongAdder otherHost = new LongAdder();
    private final FailureLog storeFailures = new FailureLog(Level.WARNING);
    private final LongAdder tooLarge = new LongAdder();
    /** Store failures that could not be counted the usual way (out of memory or stack): no allocation here. */
    private final AtomicLong unrecorded = new AtomicLong();

    /**
     * {@code hostOf}: the host id of a context id as the shim passes it (0 for a context no longer attached, whose
     * sessions are neither stored nor served).
     */
    public SessionCacheBridge(SessionCacheOptions options, LongUnaryOperator hostOf) {
        this.store = options.store();
        this.singleUse = options.singleUse();
        this.hostOf = hostOf;
    }

    /** A new entry for a session of {@code derLength} bytes: the backend copies the DER in at {@link #HEADER}. */
    public static byte[] newEntry(int derLength) {
        return new byte[HEADER + derLength];
    }

    /** The DER of an entry that has the host header, else the entry as it is (a session stored without one). */
    public static byte[] derOf(byte[] entry) {
        return entry.length > HEADER && entry[0] == HOST_BOUND_FORMAT ? Arrays.copyOfRange(entry, HEADER, entry.length)
                : entry.clone();
    }

    /**
     * New-session upcall: hands {@code entry} ({@link #newEntry}, the DER filled in) to the store for
     * {@code timeoutSeconds}, bound to the host of {@code contextId}; wipes it once the store returned.
     */
    public void newSession(long contextId, byte[] id, byte[] entry, long timeoutSeconds) {
        try {
            long hostId = hostOf.applyAsLong(contextId);
            if (hostId == 0) {
                return;
            }
            entry[0] = HOST_BOUND_FORMAT;
            for (int i = 0; i < Long.BYTES; i++) {
                entry[1 + i] = (byte) (hostId >>> (56 - 8 * i));
            }
            store.put(SessionId.of(id), entry, Duration.ofSeconds(Math.max(0, timeoutSeconds)));
            stored.increment();
        } catch (Throwable t) {
            failed("put", t);
        } finally {
            Arrays.fill(entry, (byte) 0);
        }
    }

    /**
     * Get upcall: the entry under {@code id} if it is bound to the host of {@code contextId}, its DER (at most
     * {@link #MAX_SESSION_BYTES} long) at {@link #HEADER}; or null for a miss. The caller copies the DER out and
     * wipes the entry ({@link #wipe}).
     */
    public byte[] lookUp(long contextId, byte[] id) {
        lookups.increment();
        byte[] entry;
        try {
            SessionId key = SessionId.of(id);
            Optional<byte[]> answer = singleUse ? store.take(key) : store.get(key);
            entry = answer == null ? null : answer.orElse(null);
        } catch (Throwable t) {
            failed(singleUse ? "take" : "get", t);
            entry = null;
        }
        if (entry == null || entry.length == 0) {
            misses.increment();
            return null;
        }
        if (entry.length - HEADER > MAX_SESSION_BYTES) {
            tooLarge.increment();
            return miss(entry);
        }
        long hostId = hostOf.applyAsLong(contextId);
        if (hostId == 0 || entry.length <= HEADER || entry[0] != HOST_BOUND_FORMAT || hostIdOf(entry) != hostId) {
            otherHost.increment();
            return miss(entry);
        }
        hits.increment();
        return entry;
    }

    private byte[] miss(byte[] entry) {
        wipe(entry);
        misses.increment();
        return null;
    }

    private static long hostIdOf(byte[] entry) {
        long hostId = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            hostId = (hostId << 8) | (entry[1 + i] & 0xff);
        }
        return hostId;
    }

    /** Overwrites an entry {@link #lookUp} returned, once its DER has been copied out. */
    public static void wipe(byte[] entry) {
        if (entry != null) {
            Arrays.fill(entry, (byte) 0);
        }
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

    /** Counts and logs a store failure; never throws (an Error may leave no room to log: then a plain count). */
    private void failed(String operation, Throwable t) {
        try {
            storeFailures.record(t, count -> "session store " + store + " failed in " + operation + " (failure #"
                    + count + "); the handshake went on without it");
        } catch (Throwable countingFailed) {
            try {
                unrecorded.getAndIncrement();
            } catch (Throwable ignored) {
                // The caller answers with a miss.
            }
        }
    }

    public SessionCacheStats stats(CacheShimStats shim) {
        return new SessionCacheStats(lookups.sum(), hits.sum(), misses.sum(), stored.sum(), removed.sum(),
                storeFailures.count() + unrecorded.get(), tooLarge.sum() + shim.tooLarge(), shim.badSessions(), shim.statelessSkipped(),
                shim.closedCallbacks(), otherHost.sum());
    }
}
