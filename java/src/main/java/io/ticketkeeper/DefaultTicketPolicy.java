package io.ticketkeeper;

import io.ticketkeeper.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The built-in policy, which follows each key's schedule ({@link ScheduledKey}):
 * <ul>
 *   <li>the newest key that may seal seals new tickets; with a {@linkplain Builder#handOver hand-over}, a newly
 *       sealing key takes over gradually (weighted at random by how far into the hand-over it is, as s2n-tls
 *       does), so that a fleet does not switch all at once;</li>
 *   <li>a ticket under a key that no longer seals is accepted and renewed; under a staged key (one that seals
 *       elsewhere already) it is accepted;</li>
 *   <li>a ticket older than the renewal age is renewed, and every TLS 1.3 resumption is renewed, because TLS 1.3
 *       tickets are meant to be used once (RFC 8446, C.4);</li>
 *   <li>a ticket older than the maximum age, under a key past its open-until time or under an unknown key, or
 *       one the {@linkplain Builder#revocations revocation rules} name, gives a full handshake and a fresh
 *       ticket;</li>
 *   <li>a ticket's lifetime (the hint the client gets) is the smaller of the maximum age and the remaining
 *       decrypt life of its key.</li>
 * </ul>
 */
public final class DefaultTicketPolicy implements TicketPolicy {
    private final long maxAgeMillis;
    private final long renewAfterMillis;
    private final long handOverMillis;
    private final TicketRevocations revocations;

    private DefaultTicketPolicy(Builder builder) {
        this.maxAgeMillis = builder.maxAge.toMillis();
        this.renewAfterMillis = builder.renewAfter.toMillis();
        this.handOverMillis = builder.handOver.toMillis();
        this.revocations = builder.revocations;
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

    public Duration handOver() {
        return Duration.ofMillis(handOverMillis);
    }

    /** The revocation rules; empty when none were given. */
    public Optional<TicketRevocations> revocations() {
        return Optional.ofNullable(revocations);
    }

    @Override
    public int selectKey(KeySnapshot keys, long nowMillis) {
        int newest = nextSealing(keys, 0, nowMillis);
        if (newest < 0 || handOverMillis == 0) {
            return newest;
        }
        long intoHandOver = nowMillis - keys.notBeforeMillis(newest);
        if (intoHandOver >= handOverMillis || keys.notBeforeMillis(newest) == Long.MIN_VALUE) {
            return newest;
        }
        int previous = nextSealing(keys, newest + 1, nowMillis);
        if (previous < 0 || ThreadLocalRandom.current().nextLong(handOverMillis) < intoHandOver) {
            return newest;
        }
        return previous;
    }

    /**
     * Slots are ordered newest first and only the few staged keys come before the sealing one, so this returns
     * within a few slots; when no key seals any more it returns at once.
     */
    private static int nextSealing(KeySnapshot keys, int from, long nowMillis) {
        if (nowMillis >= keys.lastSealUntilMillis()) {
            return NO_TICKET;
        }
        for (int slot = from; slot < keys.size(); slot++) {
            if (keys.seals(slot, nowMillis)) {
                return slot;
            }
        }
        return NO_TICKET;
    }

    @Override
    public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
        if (slot < 0 || !keys.opens(slot, nowMillis)) {
            return KeyDecision.REJECT;
        }
        boolean staged = nowMillis < keys.notBeforeMillis(slot);
        return staged || keys.seals(slot, nowMillis) ? KeyDecision.USE : KeyDecision.RENEW;
    }

    @Override
    public long ticketLifetimeMillis(KeySnapshot keys, int slot, long nowMillis) {
        return Math.min(maxAgeMillis, TicketPolicy.super.ticketLifetimeMillis(keys, slot, nowMillis));
    }

    @Override
    public SessionDecision decideSession(TicketSession session) {
        if (!session.opened()) {
            return SessionDecision.IGNORE_RENEW;
        }
        long age = session.ageMillis();
        if (age > maxAgeMillis || keyExpired(session) || (revocations != null && revocations.revokes(session))) {
            return SessionDecision.IGNORE_RENEW;
        }
        if (session.renewRequested() || session.isTls13() || age >= renewAfterMillis) {
            return SessionDecision.USE_RENEW;
        }
        return SessionDecision.USE;
    }

    private static boolean keyExpired(TicketSession session) {
        int slot = session.keySlot();
        KeySnapshot keys = session.keys();
        return slot >= 0 && keys != null && slot < keys.size() && !keys.opens(slot, session.nowMillis());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DefaultTicketPolicy that && maxAgeMillis == that.maxAgeMillis
                && renewAfterMillis == that.renewAfterMillis && handOverMillis == that.handOverMillis
                && Objects.equals(revocations, that.revocations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAgeMillis, renewAfterMillis, handOverMillis, revocations);
    }

    @Override
    public String toString() {
        return "DefaultTicketPolicy{maxAge=" + maxAge() + ", renewAfter=" + renewAfter() + ", handOver=" + handOver()
                + (revocations == null ? "" : ", " + revocations) + "}";
    }

    /** Configures a {@link DefaultTicketPolicy}; values are checked as they are set. */
    public static final class Builder {
        private Duration maxAge = Duration.ofHours(12);
        /** Null until set: then half of {@link #maxAge}, whatever that ends up being. */
        private Duration renewAfter;
        private Duration handOver = Duration.ZERO;
        private TicketRevocations revocations;

        private Builder() {
        }

        /** Tickets older than this give a full handshake and a fresh ticket. Default 12 hours. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Durations.positive("maxAge", maxAge);
            return this;
        }

        /** Tickets at least this old are renewed when they resume; at most {@link #maxAge}. Default half of maxAge. */
        public Builder renewAfter(Duration renewAfter) {
            this.renewAfter = Durations.notNegative("renewAfter", renewAfter);
            return this;
        }

        /**
         * How long a newly sealing key shares sealing with the key before it: {@code t} into the hand-over it seals
         * a fraction {@code t / handOver} of new tickets. Default zero (the newest key seals everything at once).
         * The older key must still be allowed to seal during the hand-over (its seal-until at least the new
         * key's not-before plus the hand-over), or the new key takes over at once.
         */
        public Builder handOver(Duration handOver) {
            this.handOver = Durations.notNegative("handOver", handOver);
            return this;
        }

        /** Rules that turn away tickets by issue time, client certificate or tag. Default none. */
        public Builder revocations(TicketRevocations revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        public DefaultTicketPolicy build() {
            if (renewAfter == null) {
                renewAfter = maxAge.dividedBy(2);
            }
            if (renewAfter.compareTo(maxAge) > 0) {
                throw new IllegalArgumentException(
                        "renewAfter (" + renewAfter + ") must not exceed maxAge (" + maxAge + ")");
            }
            return new DefaultTicketPolicy(this);
        }
    }
}
