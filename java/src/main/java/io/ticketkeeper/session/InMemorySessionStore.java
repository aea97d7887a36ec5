package io.ticketkeeper.session;

import io.ticketkeeper.internal.Durations;
import io.ticketkeeper.internal.SessionCacheBridge;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;

import java.util.Optional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A session store in this JVM's memory, bounded in entries, each entry expiring after its own TTL (the session's
 * lifetime, capped by {@link Builder#maximumTtl}). Built on Caffeine; {@link #take} is atomic. It keeps a copy of
 * each session put and answers {@link #get} with a copy the caller owns; an entry that leaves the store (evicted,
 * expired, replaced, removed) is wiped.
 */
public final class InMemorySessionStore implements SessionStore {
    private final Cache<SessionId, Entry> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removes = new LongAdder();
    private final long maximumSize;
    private final Duration maximumTtl;

    /** The session and how long it lives, which Caffeine's expiry reads. */
    private static final class Entry {
        final byte[] session;
        final long ttlNanos;

        Entry(byte[] session, long ttlNanos) {
            this.session = session;
            this.ttlNanos = ttlNanos;
        }
    }

    private static final class PerEntryTtl implements Expiry<SessionId, Entry> {
        @Override
        public long expireAfterCreate(SessionId id, Entry entry, long now) {
            return entry.ttlNanos;
        }

        @Override
        public long expireAfterUpdate(SessionId id, Entry entry, long now, long remaining) {
            return entry.ttlNanos;
        }

        @Override
        public long expireAfterRead(SessionId id, Entry entry, long now, long remaining) {
            return remaining;
        }
    }

    private InMemorySessionStore(Builder builder) {
        Clock clock = builder.clock;
        this.maximumSize = builder.maximumSize;
        this.maximumTtl = builder.maximumTtl;
        Ticker ticker = () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.cache = Caffeine.newBuilder()
                .maximumSize(builder.maximumSize)
                .expireAfter(new PerEntryTtl())
                .ticker(ticker)
                .executor(Runnable::run)
                .evictionListener((SessionId id, Entry entry, RemovalCause cause) -> wipe(entry))
                .recordStats()
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void put(SessionId id, byte[] session, Duration ttl) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(session, "session");
        Duration bounded = ttl.compareTo(maximumTtl) > 0 ? maximumTtl : ttl;
        if (bounded.isNegative() || bounded.isZero()) {
            return;
        }
        wipe(cache.asMap().put(id, new Entry(session.clone(), bounded.toNanos())));
        puts.increment();
    }

    @Override
    public Optional<byte[]> get(SessionId id) {
        return counted(cache.getIfPresent(id));
    }

    @Override
    public void remove(SessionId id) {
        removes.increment();
        wipe(cache.asMap().remove(id));
    }

    /** The entry's own array: it left the cache, so the caller gets it (and wipes it) without another copy. */
    @Override
    public Optional<byte[]> take(SessionId id) {
        Entry entry = cache.asMap().remove(id);
        if (entry == null) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(entry.session);
    }

    @Override
    public boolean atomicTake() {
        return true;
    }

    private Optional<byte[]> counted(Entry entry) {
        if (entry == null) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(entry.session.clone());
    }

    /**
     * A snapshot of the sessions held (DER, without the host each is bound to), for persisting them and warming
     * another server's cache. The arrays are the caller's to wipe.
     */
    public List<byte[]> sessions() {
        List<byte[]> sessions = new ArrayList<>();
        cache.asMap().values().forEach(entry -> sessions.add(SessionCacheBridge.derOf(entry.session)));
        return sessions;
    }

    /** Overwrites a session that left the store (evicted, expired, replaced, removed): it holds a master secret. */
    private static void wipe(Entry entry) {
        if (entry != null) {
            Arrays.fill(entry.session, (byte) 0);
        }
    }

    /** The number of sessions held (expired ones may linger until the next maintenance). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    public SessionStoreStats stats() {
        return new SessionStoreStats(hits.sum(), misses.sum(), puts.sum(), removes.sum(),
                cache.stats().evictionCount(), 0, 0, 0);
    }

    @Override
    public String toString() {
        return "InMemorySessionStore{maximumSize=" + maximumSize + ", maximumTtl=" + maximumTtl + "}";
    }

    /** Configures an {@link InMemorySessionStore}; each value is checked as it is set. */
    public static final class Builder {
        private long maximumSize = 20_000;
        private Duration maximumTtl = Duration.ofHours(24);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The most sessions held; the least likely to be used again are evicted first. Default 20,000. */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1, not " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** An upper bound on any entry's TTL, whatever the session's lifetime. Default 24 hours. */
        public Builder maximumTtl(Duration maximumTtl) {
            this.maximumTtl = Durations.positive("maximumTtl", maximumTtl);
            return this;
        }

        /** The clock entries expire by. Default: the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public InMemorySessionStore build() {
            return new InMemorySessionStore(this);
        }
    }
}
