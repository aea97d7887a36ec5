package io.ticketkeeper.cli;

import io.ticketkeeper.KeyRingStats;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.session.SessionCacheStats;

import java.util.concurrent.atomic.LongAdder;

/** What {@code serve} counts per connection, beside TicketKeeper's own {@link TicketStats}. */
final class ServeCounters {
    private final LongAdder connections = new LongAdder();
    private final LongAdder full = new LongAdder();
    private final LongAdder resumed = new LongAdder();
    private final LongAdder renewed = new LongAdder();
    private final LongAdder failed = new LongAdder();

    void connection() {
        connections.increment();
    }

    void record(HandshakeEvent event) {
        if (event.failed()) {
            failed.increment();
            return;
        }
        (event.resumed() ? resumed : full).increment();
        if (event.renewed()) {
            renewed.increment();
        }
    }

    long connections() {
        return connections.sum();
    }

    long resumed() {
        return resumed.sum();
    }

    long full() {
        return full.sum();
    }

    long renewed() {
        return renewed.sum();
    }

    long failed() {
        return failed.sum();
    }

    String summary() {
        return connections() + " connections: " + full() + " full handshakes, " + resumed() + " resumed ("
                + renewed() + " renewed), " + failed() + " failed";
    }

    /** TicketKeeper's counters in one line. */
    static String describe(TicketStats stats) {
        return "tickets sealed " + stats.sealed() + ", resumed " + stats.resumed() + ", renewed " + stats.renewed()
                + ", rejected " + stats.rejectedUnknownKey() + " (unknown key) + " + stats.rejectedByPolicy()
                + " (policy), aborted " + stats.aborted() + ", errors " + (stats.policyErrors()
                + stats.upcallErrors() + stats.cryptoErrors() + stats.badDecisions());
    }

    /** A fleet key source's counters in one line. */
    static String describe(KeyRingStats keys, TicketStats tickets) {
        return "fleet keys fetched " + keys.fetched() + ", refused " + keys.refused() + ", Redis "
                + keys.source().state() + " (" + keys.source().failures() + " failed exchanges), no ticket for lack "
                + "of a key " + tickets.unsealed();
    }

    /** The session store's counters in one line. */
    static String describe(SessionCacheStats stats) {
        return "session cache lookups " + stats.lookups() + ", hits " + stats.hits() + ", misses " + stats.misses()
                + ", stored " + stats.stored() + ", store failures " + stats.storeFailures();
    }
}
