package io.ticketkeeper;

import java.time.Duration;

/**
 * Decides, handshake by handshake, how session tickets are sealed, accepted, renewed or rejected.
 *
 * <p>Methods run on the thread that drives the handshake, which may be any thread, concurrently. They must be
 * fast, must not block and should not allocate. An exception thrown here never reaches OpenSSL: the handshake gets
 * the safe outcome (no ticket on encrypt, a full handshake on decrypt) and the handle counts a policy error.
 */
public interface TicketPolicy {
    /** Returned by {@link #selectKey} to issue no ticket. */
    int NO_TICKET = -1;

    /** Returns the slot in {@code keys} of the key that seals a new ticket, or {@link #NO_TICKET}. */
    int selectKey(KeySnapshot keys);

    /** Decides on a presented ticket sealed by the key in {@code slot} of {@code keys}; {@code slot} is -1 for a key
     * that is not published. */
    KeyDecision decideKey(KeySnapshot keys, int slot);

    /**
     * {@link #selectKey(KeySnapshot)} at the handle's clock time {@code nowMillis}; the handle calls this one.
     * Policies that follow key schedules override it.
     */
    default int selectKey(KeySnapshot keys, long nowMillis) {
        return selectKey(keys);
    }

    /** {@link #decideKey(KeySnapshot, int)} at the handle's clock time {@code nowMillis}; the handle calls this one. */
    default KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
        return decideKey(keys, slot);
    }

    /**
     * How long a ticket just sealed by the key in {@code slot} may be used, in ms; the client is told at most this
     * (the TLS 1.2 lifetime hint, the TLS 1.3 ticket_lifetime), and never more than the context's session timeout.
     * By default the key's remaining decrypt life; {@code Long.MAX_VALUE} leaves the session timeout alone.
     */
    default long ticketLifetimeMillis(KeySnapshot keys, int slot, long nowMillis) {
        long decryptUntil = keys.decryptUntilMillis(slot);
        return decryptUntil == Long.MAX_VALUE ? Long.MAX_VALUE : decryptUntil - nowMillis;
    }

    /** Decides on a presented ticket once it is decrypted (or failed to decrypt). */
    SessionDecision decideSession(TicketSession session);

    /** The default policy with a ticket lifetime of 12 hours and renewal from 6 hours. */
    static TicketPolicy defaults() {
        return DefaultTicketPolicy.builder().build();
    }

    /** The default policy: tickets older than {@code maxAge} give full handshakes, older than {@code renewAfter}
     * are renewed. */
    static TicketPolicy defaults(Duration maxAge, Duration renewAfter) {
        return DefaultTicketPolicy.builder().maxAge(maxAge).renewAfter(renewAfter).build();
    }
}
