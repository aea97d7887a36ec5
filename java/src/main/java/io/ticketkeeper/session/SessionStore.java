package io.ticketkeeper.session;

import java.util.Optional;
import java.time.Duration;

/**
 * Where a server's stateful sessions live: TLS 1.2 session ids and TLS 1.3 stateful tickets, each as the DER
 * bytes OpenSSL serialises ({@code i2d_SSL_SESSION}). A session holds its master secret: a store shared between
 * hosts must protect its entries (the Redis store seals them).
 *
 * <p>Every method runs on a handshake thread while the handshake waits. An implementation must answer within a
 * bounded time (a store that does I/O enforces its own timeout and answers a timeout as a miss); whatever it
 * throws is caught, counted ({@code SessionCacheStats.storeFailures}) and treated as a miss, so the handshake
 * falls back to a full one. It is called from many threads at once.
 *
 * <p>The arrays that cross are owned by whoever receives them: a store copies what it keeps from {@code put}
 * (TicketKeeper wipes the array once {@code put} returns), and answers {@code get} and {@code take} with an array
 * TicketKeeper may wipe once it handed the session to OpenSSL. The bytes TicketKeeper stores are opaque to the store:
 * the DER form behind a short header that binds the session to the virtual host that stored it.
 */
public interface SessionStore {
    /** Keeps {@code session} under {@code id} for {@code ttl}, the session's lifetime. Replaces an older entry. */
    void put(SessionId id, byte[] session, Duration ttl);

    /** The session stored under {@code id}; empty for a miss. */
    Optional<byte[]> get(SessionId id);

    /** Forgets the session under {@code id}; a missing entry is not an error. */
    void remove(SessionId id);

    /**
     * Gets and removes the session under {@code id}, for single-use sessions (TLS 1.3 anti-replay). The default
     * is a get followed by a remove, which two nodes can both win; stores that can do it atomically override it
     * and {@link #atomicTake()}.
     */
    default Optional<byte[]> take(SessionId id) {
        Optional<byte[]> session = get(id);
        if (session.isPresent()) {
            remove(id);
        }
        return session;
    }

    /** Whether {@link #take} is atomic: only then does a single-use session cache accept this store. */
    default boolean atomicTake() {
        return false;
    }

    /** A bounded in-memory store (Caffeine) with the system clock: see {@link InMemorySessionStore}. */
    static InMemorySessionStore inMemory(long maximumSize) {
        return InMemorySessionStore.builder().maximumSize(maximumSize).build();
    }
}
