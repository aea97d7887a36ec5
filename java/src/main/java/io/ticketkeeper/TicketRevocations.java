package io.ticketkeeper;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Revocation rules over the stamp every ticket carries: no ticket issued before a time resumes, no ticket of a
 * client certificate (by SHA-256 fingerprint) resumes, no ticket with an application tag resumes. A revoked ticket
 * gets a full handshake and a fresh ticket. Rules only ever tighten; they apply from the next handshake on.
 *
 * <p>Checks run on handshake threads without locks or allocation; changes copy the rule set (they are rare).
 */
public final class TicketRevocations {
    private volatile long issuedBeforeMillis = Long.MIN_VALUE;
    private volatile long[] tags = new long[0];
    private volatile Set<ByteBuffer> certificates = Set.of();
    private final LongAdder revoked = new LongAdder();

    private TicketRevocations() {
    }

    public static TicketRevocations create() {
        return new TicketRevocations();
    }

    /** No ticket issued before {@code instant} resumes (a ticket without TicketKeeper's stamp counts by its age). */
    public synchronized TicketRevocations revokeIssuedBefore(Instant instant) {
        issuedBeforeMillis = Math.max(issuedBeforeMillis, ScheduledKey.millis(Objects.requireNonNull(instant)));
        return this;
    }

    /** No ticket whose session carries the client certificate with this SHA-256 fingerprint resumes. */
    public synchronized TicketRevocations revokeClientCertificate(byte[] sha256) {
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 32 bytes, was " + sha256.length);
        }
        Set<ByteBuffer> next = new HashSet<>(certificates);
        next.add(ByteBuffer.wrap(sha256.clone()).asReadOnlyBuffer());
        certificates = Set.copyOf(next);
        return this;
    }

    /** No ticket stamped with {@code tag} ({@link TicketKeeperHandle#setTicketTag}) resumes. */
    public synchronized TicketRevocations revokeTag(long tag) {
        long[] current = tags;
        if (Arrays.binarySearch(current, tag) < 0) {
            long[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = tag;
            Arrays.sort(next);
            tags = next;
        }
        return this;
    }

    /** Whether {@code session} is revoked by any rule; counts it when it is. */
    public boolean revokes(TicketSession session) {
        if (!session.opened() || !matches(session)) {
            return false;
        }
        revoked.increment();
        return true;
    }

    private boolean matches(TicketSession session) {
        long before = issuedBeforeMillis;
        if (before != Long.MIN_VALUE && session.nowMillis() - session.ageMillis() < before) {
            return true;
        }
        long[] revokedTags = tags;
        if (revokedTags.length > 0 && session.issuedAtMillis() >= 0
                && Arrays.binarySearch(revokedTags, session.tag()) >= 0) {
            return true;
        }
        Set<ByteBuffer> revokedCertificates = certificates;
        if (revokedCertificates.isEmpty()) {
            return false;
        }
        ByteBuffer fingerprint = session.peerCertificateSha256();
        return fingerprint.hasRemaining() && revokedCertificates.contains(fingerprint);
    }

    /** How many presented tickets the rules turned away. */
    public long revokedCount() {
        return revoked.sum();
    }

    @Override
    public String toString() {
        return "TicketRevocations{issuedBefore=" + (issuedBeforeMillis == Long.MIN_VALUE ? "-"
                : Instant.ofEpochMilli(issuedBeforeMillis)) + ", tags=" + tags.length + ", certificates="
                + certificates.size() + "}";
    }
}
