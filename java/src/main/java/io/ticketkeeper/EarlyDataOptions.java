package io.ticketkeeper;

import java.time.Duration;
import java.util.Objects;

/**
 * TLS 1.3 early data (0-RTT), off unless given to {@link TicketKeeperOptions.Builder#earlyData}. Tickets advertise
 * {@link #maxBytes()}; each resumption offering early data is checked against the {@link #record()} and then
 * decided by the policy ({@link TicketPolicy#decideEarlyData}). A ticket issued before early data was turned on
 * carries no allowance and sends none.
 */
public final class EarlyDataOptions {
    /** The default allowance: one TLS record's worth (16 KiB), enough for a request's headers. */
    public static final int DEFAULT_MAX_BYTES = 16384;
    /** The default in-memory record's capacity. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final int maxBytes;
    private final ReplayRecord record;
    private final Duration oncePerTicket;

    private EarlyDataOptions(Builder builder) {
        this.maxBytes = builder.maxBytes;
        this.oncePerTicket = builder.oncePerTicket;
        this.record = builder.record != null ? builder.record
                : ReplayRecord.inMemory(ReplayRecord.MIN_WINDOW, DEFAULT_CAPACITY);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Early data on with the defaults: 16 KiB, an in-memory record of 11 s for 100 000 ClientHellos. */
    public static EarlyDataOptions defaults() {
        return builder().build();
    }

    /** The most early data a ticket allows and the server reads, in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    public ReplayRecord record() {
        return record;
    }

    /**
     * The ticket lifetime for which each ticket's early data is allowed once ({@link Builder#oncePerTicket}); empty
     * when the record keys ClientHellos (the default).
     */
    public java.util.Optional<Duration> oncePerTicket() {
        return java.util.Optional.ofNullable(oncePerTicket);
    }

    @Override
    public String toString() {
        return "EarlyDataOptions{maxBytes=" + maxBytes + ", record=" + record
                + (oncePerTicket == null ? "" : ", oncePerTicket=" + oncePerTicket) + "}";
    }

    /** Configures {@link EarlyDataOptions}; each value is checked as it is set. */
    public static final class Builder {
        private int maxBytes = DEFAULT_MAX_BYTES;
        private ReplayRecord record;
        private Duration oncePerTicket;

        private Builder() {
        }

        /** The most early data a ticket allows, in bytes (1 to 2^30). Default 16384. */
        public Builder maxBytes(int maxBytes) {
            if (maxBytes < 1 || maxBytes > (1 << 30)) {
                throw new IllegalArgumentException("maxBytes must be 1 to 2^30, was " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * The anti-replay record: {@link ReplayRecord#inMemory} for one server, {@code RedisReplayRecord} for a
         * fleet. Its window must cover OpenSSL's ticket age allowance ({@link ReplayRecord#MIN_WINDOW}). Default:
         * in memory, 11 s, 100 000 ClientHellos. The handle closes it.
         *
         * @throws IllegalArgumentException when the record's window is shorter than {@link ReplayRecord#MIN_WINDOW}
         */
        public Builder record(ReplayRecord record) {
            Objects.requireNonNull(record, "record");
            Duration window = record.window();
            if (window.compareTo(ReplayRecord.MIN_WINDOW) < 0) {
                throw new IllegalArgumentException("the record's window (" + window + ") is shorter than "
                        + ReplayRecord.MIN_WINDOW + ": OpenSSL still takes a replayed ClientHello as fresh up to 10 s "
                        + "later, so a shorter record would let it in");
            }
            this.record = record;
            return this;
        }

        /**
         * Allows each ticket's early data once (RFC 8446 section 8.1, single use), instead of each ClientHello's:
         * the record keeps the identity of every ticket whose early data it let in for {@code ticketLifetime}, the
         * longest a ticket of this server lives (after that OpenSSL refuses the ticket itself). A replay presents
         * the same ticket, so it is refused; so is a client that offers one ticket's early data twice (RFC 8446
         * section 4.6.1 asks clients not to, and OpenSSL's s_client with one session file does). It costs one entry
         * per ticket for a ticket's lifetime rather than per ClientHello for 11 s: a bigger record.
         */
        public Builder oncePerTicket(Duration ticketLifetime) {
            Duration lifetime = io.ticketkeeper.internal.Durations.positive("ticketLifetime", ticketLifetime);
            if (lifetime.compareTo(ReplayRecord.MIN_WINDOW) < 0) {
                throw new IllegalArgumentException("ticketLifetime (" + lifetime + ") is shorter than "
                        + ReplayRecord.MIN_WINDOW + ", the shortest a record may remember");
            }
            this.oncePerTicket = lifetime;
            return this;
        }

        public EarlyDataOptions build() {
            return new EarlyDataOptions(this);
        }
    }
}
