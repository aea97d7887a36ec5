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
 * record. For one window after it is made it refuses tickets first issued before then: it cannot know what this
 * server accepted before it restarted. Runs only when early data is offered; one lock.
 */
final class InMemoryReplayRecord implements ReplayRecord {
    private final long windowMillis;
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
        this.windowMillis = window.toMillis();
        this.capacity = capacity;
        this.startMillis = clock.millis();
    }

    @Override
    public synchronized ReplayAnswer record(byte[] clientRandom, long ticketIssuedAtMillis, long nowMillis) {
        if (nowMillis < startMillis + windowMillis && ticketIssuedAtMillis < startMillis) {
            return ReplayAnswer.STARTING;
        }
        expire(nowMillis);
        String key = new String(clientRandom, StandardCharsets.ISO_8859_1);
        if (expiries.containsKey(key)) {
            return ReplayAnswer.REPLAY;
        }
        if (expiries.size() >= capacity) {
            return ReplayAnswer.FULL;
        }
        expiries.put(key, nowMillis + windowMillis);
        order.addLast(key);
        return ReplayAnswer.FIRST;
    }

    /** Entries leave in the order they came, each a window after it came (a clock that steps back only delays). */
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
