package io.ticketkeeper;

import java.time.Instant;
import java.util.Objects;

/**
 * How a key source that depends on a service (the fleet's Redis) is doing: whether the service answers, since when,
 * how often it failed. Sources that need no service (rotation, key files) are {@link State#LOCAL}.
 *
 * @param state whether the service answers
 * @param since when the state began, by the source's clock (the epoch for {@link State#LOCAL})
 * @param failures exchanges with the service that failed so far
 * @param detail for people: where the service is, the last error, what the source may do there
 */
public record KeySourceHealth(State state, Instant since, long failures, String detail) {
    /** Whether a key source's service answers. */
    public enum State {
        /** The source needs no service. */
        LOCAL,
        /** The service answered the last exchange. */
        UP,
        /** The service did not answer the last exchange: the keys in force stay in force. */
        DOWN
    }

    private static final KeySourceHealth LOCAL = new KeySourceHealth(State.LOCAL, Instant.EPOCH, 0, "");

    public KeySourceHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(detail, "detail");
    }

    /** The health of a source that needs no service. */
    public static KeySourceHealth local() {
        return LOCAL;
    }
}
