package io.ticketkeeper;

import io.ticketkeeper.internal.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keys generated in memory from a CSPRNG and rotated on a schedule. Each key seals for {@link #sealFor()}, then
 * only opens tickets for {@link #openFor()}, then is dropped and cleansed. The next key is generated one period
 * ahead and staged: it opens tickets from the start, and seals from the moment its predecessor's period ends.
 *
 * <p>The defaults and why:
 * <ul>
 *   <li><b>encrypt for 1 hour</b>: a key that leaks exposes the tickets of one hour, and an hour is long enough
 *       that a busy server seals many tickets per key (cheap rotation, few keys in the ring);</li>
 *   <li><b>decrypt for 12 hours</b> after sealing ends: as long as the default policy's maximum ticket age
 *       ({@link DefaultTicketPolicy.Builder#maxAge}), so a ticket sealed in a key's last second can still live its
 *       full life and the lifetime hint need not be cut; forward secrecy of a ticket is bounded by 13 hours;</li>
 *   <li><b>staged one period ahead</b>: a fleet that distributes keys has a whole period to deliver the next key to
 *       every server before any server seals with it;</li>
 *   <li><b>check every minute</b>: a late check delays only the generation of the next key (made a full period
 *       ahead) and the dropping of expired keys; the policy reads each key's schedule on every handshake, so
 *       promotion and expiry take effect on time whatever the check interval.</li>
 * </ul>
 * Steady state holds {@code 2 + openFor / sealFor} keys (14 with the defaults).
 */
public final class KeyRotation implements KeySource {
    private final Duration sealFor;
    private final Duration openFor;
    private final Duration handOver;
    private final Duration checkInterval;

    private KeyRotation(Builder builder) {
        this.sealFor = builder.sealFor;
        this.openFor = builder.openFor;
        this.handOver = builder.handOver;
        this.checkInterval = builder.checkInterval;
    }

    /** Rotation with the defaults: encrypt 1 h, decrypt 12 h more, check every minute. */
    public static KeyRotation defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration sealFor() {
        return sealFor;
    }

    public Duration openFor() {
        return openFor;
    }

    public Duration handOver() {
        return handOver;
    }

    @Override
    public Duration checkInterval() {
        return checkInterval;
    }

    @Override
    public List<ScheduledKey> refresh(long nowMillis, List<ScheduledKey> current) {
        List<ScheduledKey> keys = new ArrayList<>(current);
        ScheduledKey newest = newest(keys);
        long period = sealFor.toMillis();
        if (newest == null || newest.notBeforeMillis() == Long.MIN_VALUE
                || newest.notBeforeMillis() + period <= nowMillis) {
            newest = generate(nowMillis);
            keys.add(newest);
        }
        if (newest.notBeforeMillis() <= nowMillis) {
            keys.add(generate(newest.notBeforeMillis() + period));
        }
        return keys.size() == current.size() ? current : keys;
    }

    private ScheduledKey generate(long notBeforeMillis) {
        Instant notBefore = Instant.ofEpochMilli(notBeforeMillis);
        Instant sealUntil = notBefore.plus(sealFor).plus(handOver);
        return ScheduledKey.of(TicketKey.generate(), notBefore, sealUntil,
                notBefore.plus(sealFor).plus(openFor));
    }

    private static ScheduledKey newest(List<ScheduledKey> keys) {
        ScheduledKey newest = null;
        for (ScheduledKey key : keys) {
            if (newest == null || key.notBeforeMillis() > newest.notBeforeMillis()) {
                newest = key;
            }
        }
        return newest;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyRotation that
                && sealFor.equals(that.sealFor)
                && openFor.equals(that.openFor)
                && handOver.equals(that.handOver)
                && checkInterval.equals(that.checkInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sealFor, openFor, handOver, checkInterval);
    }

    @Override
    public String toString() {
        return "KeyRotation{sealFor=" + sealFor + ", openFor=" + openFor + ", handOver=" + handOver
                + ", checkInterval=" + checkInterval + "}";
    }

    /** Configures a {@link KeyRotation}; values are checked as they are set. */
    public static final class Builder {
        private Duration sealFor = Duration.ofHours(1);
        private Duration openFor = Duration.ofHours(12);
        private Duration handOver = Duration.ZERO;
        private Duration checkInterval = Duration.ofMinutes(1);

        private Builder() {
        }

        /** How long each key seals new tickets. Default 1 hour. */
        public Builder sealFor(Duration sealFor) {
            this.sealFor = Durations.positive("sealFor", sealFor);
            return this;
        }

        /** How long each key keeps opening tickets after it stops sealing. Default 12 hours. */
        public Builder openFor(Duration openFor) {
            this.openFor = Durations.positive("openFor", openFor);
            return this;
        }

        /**
         * How long a key keeps sealing after its successor starts, for the default policy's gradual
         * {@linkplain DefaultTicketPolicy.Builder#handOver hand-over} (set the same value there). Default zero.
         */
        public Builder handOver(Duration handOver) {
            this.handOver = Durations.notNegative("handOver", handOver);
            return this;
        }

        /** How often the handle's scheduler checks the schedule. Default 1 minute. */
        public Builder checkInterval(Duration checkInterval) {
            this.checkInterval = Durations.positive("checkInterval", checkInterval);
            return this;
        }

        public KeyRotation build() {
            if (handOver.compareTo(openFor) > 0) {
                throw new IllegalArgumentException(
                        "handOver (" + handOver + ") must not exceed openFor (" + openFor + ")");
            }
            return new KeyRotation(this);
        }
    }
}
