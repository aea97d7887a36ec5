package io.ticketkeeper;

import java.time.Duration;

/**
 * Anti-replay for TLS 1.3 early data: ClientHello recording (RFC 8446 section 8.2), keyed by the ClientHello's
 * random. The random is bound to the PSK binder, so a replayed ClientHello carries the same one, and an honest client
 * picks a new one for every connection. OpenSSL accepts early data only when the client's ticket age is within 10 s
 * of its own view (TICKET_AGE_ALLOWANCE), so a record kept for {@link #window()} (at least that, plus a margin for
 * clocks) sees every replay OpenSSL would still take as fresh.
 *
 * <p>{@link #record} runs on the handshake thread and must answer within a bound: anything but {@link ReplayAnswer#FIRST}
 * refuses the early data, and the handshake goes on in 1-RTT. It must not throw; an exception counts as
 * {@link ReplayAnswer#UNAVAILABLE}.
 */
public interface ReplayRecord extends AutoCloseable {
    /** The shortest window that covers OpenSSL's ticket age allowance (10 s) with a second's margin. */
    Duration MIN_WINDOW = Duration.ofSeconds(11);

    /**
     * Records {@code key} at {@code nowMillis} for {@code ttlMillis} unless it is recorded already, and says which.
     * The key is a ClientHello's random (32 bytes, kept for the {@link #window()}) or, when each ticket's early data
     * is allowed once ({@link EarlyDataOptions.Builder#oncePerTicket}), a ticket's identity (kept for the ticket's
     * lifetime); the array is not kept by reference. {@code ticketIssuedAtMillis} is when the ticket's session was
     * first issued a ticket (-1 if unknown): a record that started (or recovered) less than {@code ttlMillis} ago
     * answers {@link ReplayAnswer#STARTING} for tickets from before then, which it cannot vouch for.
     */
    ReplayAnswer record(byte[] key, long ttlMillis, long ticketIssuedAtMillis, long nowMillis);

    /** How long a ClientHello is remembered: at least {@link #MIN_WINDOW}. */
    Duration window();

    /** A record in this process's memory: at most {@code capacity} entries at once. */
    static ReplayRecord inMemory(Duration window, int capacity) {
        return inMemory(window, capacity, java.time.Clock.systemUTC());
    }

    /**
     * A record in this process's memory whose start is read from {@code clock}: give the handle's clock when the
     * options inject one ({@link TicketKeeperOptions.Builder#clock}), since the record compares its start with
     * the handle's times.
     */
    static ReplayRecord inMemory(Duration window, int capacity, java.time.Clock clock) {
        return new InMemoryReplayRecord(window, capacity, clock);
    }

    /** Releases what the record holds (a connection). */
    @Override
    default void close() {
    }
}
