package io.ticketkeeper.internal;

import java.time.Duration;
import java.util.Objects;

/** The checks every builder makes on a duration, with messages that name the setting and its value. */
public final class Durations {
    private Durations() {
    }

    public static Duration positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }

    public static Duration notNegative(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + value);
        }
        return value;
    }
}
