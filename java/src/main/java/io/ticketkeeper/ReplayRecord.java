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
     * Records {@code clientRandom} (32 bytes, not kept by reference) at {@code nowMillis} unless it was recorded
     * within the window, and says which. {@code ticketIssuedAtMillis} is when the ticket's session was first
     * issued a ticket (-1 if unknown): a record that started less than a window ago answers
     * {@link ReplayAnswer#STARTING} for tickets from before its start.
     */
    ReplayAnswer record(byte[] clientRandom, long ticketIssuedAtMillis, long nowMillis);

    /** How long a ClientHello is remembered. */
    Duration window();

    /** A record in this process's memory: at most {@code capacity} ClientHellos within {@code window}. */
    static ReplayRecord inMemory(Duration window, int capacity) {
        return new InMemoryReplayRecord(window, capacity, java.time.Clock.systemUTC());
    }

    /** Releases what the record holds (a connection). */
    @Override
    default void close() {
    }
}
