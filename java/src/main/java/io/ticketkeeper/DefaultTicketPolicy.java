package io.ticketkeeper;

import java.time.Duration;
import java.util.Objects;

/**
 * The built-in policy over a key list: the first key encrypts; a ticket under another published key is accepted
 * and renewed; a ticket under an unknown key gives a full handshake; a ticket older than the maximum age gives a
 * full handshake and a fresh ticket; one older than the renewal age is renewed; and every TLS 1.3 resumption is
 * renewed, because TLS 1.3 tickets are meant to be used once (RFC 8446, C.4).
 */
public final class DefaultTicketPolicy implements TicketPolicy {
    private final long maxAgeMillis;
    private final long renewAfterMillis;

    private DefaultTicketPolicy(Builder builder) {
        this.maxAgeMillis = builder.maxAge.toMillis();
        this.renewAfterMillis = builder.renewAfter.toMillis();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration maxAge() {
        return Duration.ofMillis(maxAgeMillis);
    }

    public Duration renewAfter() {
        return Duration.ofMillis(renewAfterMillis);
    }

    @Override
    public int selectKey(KeySnapshot keys) {
        return keys.size() == 0 ? NO_TICKET : 0;
    }

    @Override
    public KeyDecision decideKey(KeySnapshot keys, int slot) {
        if (slot < 0) {
            return KeyDecision.REJECT;
        }
        return slot == 0 ? KeyDecision.USE : KeyDecision.RENEW;
    }

    @Override
    public SessionDecision decideSession(TicketSession session) {
        if (!session.decrypted()) {
            return SessionDecision.IGNORE_RENEW;
        }
        long age = session.ageMillis();
        if (age > maxAgeMillis) {
            return SessionDecision.IGNORE_RENEW;
        }
        if (session.renewRequested() || session.isTls13() || age >= renewAfterMillis) {
            return SessionDecision.USE_RENEW;
        }
        return SessionDecision.USE;
    }

    @Override
    public String toString() {
        return "DefaultTicketPolicy{maxAge=" + maxAge() + ", renewAfter=" + renewAfter() + "}";
    }

    /** Configures a {@link DefaultTicketPolicy}; values are checked as they are set. */
    public static final class Builder {
        private Duration maxAge = Duration.ofHours(12);
        private Duration renewAfter = Duration.ofHours(6);

        private Builder() {
        }

        /** Tickets older than this give a full handshake and a fresh ticket. Default 12 hours. */
        public Builder maxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
            }
            this.maxAge = maxAge;
            return this;
        }

        /** Tickets at least this old are renewed when they resume. Default 6 hours. */
        public Builder renewAfter(Duration renewAfter) {
            Objects.requireNonNull(renewAfter, "renewAfter");
            if (renewAfter.isNegative()) {
                throw new IllegalArgumentException("renewAfter must not be negative, was " + renewAfter);
            }
            this.renewAfter = renewAfter;
            return this;
        }

        public DefaultTicketPolicy build() {
            if (renewAfter.compareTo(maxAge) > 0) {
                throw new IllegalArgumentException(
                        "renewAfter (" + renewAfter + ") must not exceed maxAge (" + maxAge + ")");
            }
            return new DefaultTicketPolicy(this);
        }
    }
}
