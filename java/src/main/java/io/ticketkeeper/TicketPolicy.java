package io.ticketkeeper;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides, handshake by handshake, how session tickets are sealed, accepted, renewed or rejected. Every decision
 * gets the handle's clock time ({@link TicketKeeperOptions.Builder#clock}); a policy needs no clock of its own.
 *
 * <p>Methods run on the thread that drives the handshake, which may be any thread, concurrently. They must be
 * fast, must not block and should not allocate. An exception thrown here never reaches OpenSSL: the handshake gets
 * the safe outcome (no ticket when sealing, a full handshake when opening) and the handle counts a policy error.
 */
public interface TicketPolicy {
    /** Returned by {@link #selectKey} to issue no ticket. */
    int NO_TICKET = -1;

    /** The slot in {@code keys} of the key that seals a new ticket at {@code nowMillis}, or {@link #NO_TICKET}. */
    int selectKey(KeySnapshot keys, long nowMillis);

    /**
     * Decides at {@code nowMillis} on a presented ticket sealed by the key in {@code slot} of {@code keys};
     * {@code slot} is -1 for a key that is not published.
     */
    KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis);

    /**
     * How long a ticket just sealed at {@code nowMillis} by the key in {@code slot} may be used, in ms; the client
     * is told at most this (the TLS 1.2 lifetime hint, the TLS 1.3 ticket_lifetime), and never more than the
     * context's session timeout. By default the key's remaining open life; {@code Long.MAX_VALUE} leaves the
     * session timeout alone.
     */
    default long ticketLifetimeMillis(KeySnapshot keys, int slot, long nowMillis) {
        long openUntil = keys.openUntilMillis(slot);
        return openUntil == Long.MAX_VALUE ? Long.MAX_VALUE : openUntil - nowMillis;
    }

    /** Decides on a presented ticket once it was opened (or failed to open); {@link TicketSession#nowMillis()} is
     * the time of the decision. */
    SessionDecision decideSession(TicketSession session);

    /**
     * Decides whether a TLS 1.3 resumption's early data is accepted (only when early data is on:
     * {@link TicketKeeperOptions.Builder#earlyData}). A refusal costs the client a round trip, never the
     * connection: the handshake goes on in 1-RTT and the client sends the data again. By default early data is
     * accepted when the anti-replay record saw the ClientHello first ({@link ReplayAnswer#FIRST}); a policy that
     * accepts anything else accepts replays.
     */
    default boolean decideEarlyData(EarlyDataRequest request) {
        return request.replay() == ReplayAnswer.FIRST;
    }

    /**
     * The most early data, in bytes, that a TLS 1.3 ticket about to be sealed lets its client send (only when early
     * data is on): {@code maxBytes} is the options' value ({@link EarlyDataOptions#maxBytes()}), {@code hostName}
     * the attached context's host name (empty for a context attached without one). A lower answer is sealed into
     * the ticket and advertised to the client, who may then send no more; 0 lets the ticket carry no early data. An
     * answer above {@code maxBytes} keeps {@code maxBytes}: a policy never raises it. By default {@code maxBytes}.
     */
    default long maxEarlyData(Optional<String> hostName, long maxBytes) {
        return maxBytes;
    }

    /** The default policy: tickets live 12 hours and are renewed from 6 hours ({@link DefaultTicketPolicy}). */
    static TicketPolicy defaults() {
        return DefaultTicketPolicy.builder().build();
    }

    /** The default policy: tickets older than {@code maxAge} give full handshakes, those older than
     * {@code renewAfter} are renewed. */
    static TicketPolicy defaults(Duration maxAge, Duration renewAfter) {
        return DefaultTicketPolicy.builder().maxAge(maxAge).renewAfter(renewAfter).build();
    }
}
