package io.ticketkeeper;

import io.ticketkeeper.internal.Durations;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * ClientHello randoms recorded in this process, bounded: when {@code capacity} entries are within the window, new
 * ones are refused ({@link ReplayAnswer#FULL}) rather than old ones forgotten, since forgetting one would let its
 * replay in. It guards one server (RFC 8446's minimum: at most once per server instance); a fleet needs a shared
 * record. For one lifetime of its entries after it is made it refuses tickets first issued before then: it cannot
 * know what this server accepted before it restarted. Runs only when early data is offered; one lock.
 */
final class InMemoryReplayRecord implements ReplayRecord {
    private final int capacity;
    private final long startMillis;
    private final Duration window;
    private final Map<String, Long> expiries = new HashMap<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();

    InMemoryReplayRecord(Duration window, int capacity, Clock clock) {
        this.window = Durations.positive("window", window);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.startMillis = clock.millis();
    }

    @Override
    public synchronized ReplayAnswer record(byte[] key, long ttlMillis, long ticketIssuedAtMillis, long nowMillis) {
        if (ticketIssuedAtMillis < startMillis && nowMillis < startMillis + ttlMillis) {
            return ReplayAnswer.STARTING;
        }
        expire(nowMillis);
        String entry = new String(key, StandardCharsets.ISO_8859_1);
        Long expiry = expiries.get(entry);
        if (expiry != null && expiry > nowMillis) {
            return ReplayAnswer.REPLAY;
        }
        if (expiries.size() >= capacity) {
            return ReplayAnswer.FULL;
        }
        expiries.put(entry, nowMillis + ttlMillis);
        order.addLast(entry);
        return ReplayAnswer.FIRST;
    }

    /**
     * Entries leave in the order they came once expired; a handle records with one lifetime, so the oldest expires
     * first (an entry past its time but behind a younger one is still refused as a replay: never the unsafe way).
     */
    private void expire(long nowMillis) {
        while (!order.isEmpty()) {
            String oldest = order.peekFirst();
            if (expiries.get(oldest) > nowMillis) {
                return;
            }
            order.removeFirst();
            expiries.remove(oldest);
        }
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public String toString() {
        return "InMemoryReplayRecord{window=" + window + ", capacity=" + capacity + "}";
    }
}
