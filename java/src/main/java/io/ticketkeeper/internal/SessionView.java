package io.ticketkeeper.internal;

import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.TicketSession;

import java.time.Clock;

/** A reusable, per-thread {@link TicketSession} that a backend fills from the shim's session view. */
public final class SessionView implements TicketSession {
    private final Clock clock;
    private boolean decrypted;
    private boolean renewRequested;
    private int protocolVersion;
    private boolean hasPeerCertificate;
    private boolean hasStamp;
    private long sessionTimeSeconds;
    private long issuedAtMillis;
    private long issuedUnderGeneration;
    private long tag;
    private int keySlot;
    private KeySnapshot keys;

    SessionView(Clock clock) {
        this.clock = clock;
    }

    /** Fills the view; the stamp values are ignored when {@code hasStamp} is false. */
    public SessionView fill(boolean decrypted, boolean renewRequested, int protocolVersion, boolean hasPeerCertificate, long sessionTimeSeconds,
            KeySnapshot keys, int keySlot, boolean hasStamp, long issuedAtMillis, long issuedUnderGeneration,
            long tag) {
        this.decrypted = decrypted;
        this.renewRequested = renewRequested;
        this.protocolVersion = protocolVersion;
        this.hasPeerCertificate = hasPeerCertificate;
        this.sessionTimeSeconds = sessionTimeSeconds;
        this.keys = keys;
        this.keySlot = keySlot;
        this.hasStamp = hasStamp;
        this.issuedAtMillis = hasStamp ? issuedAtMillis : -1;
        this.issuedUnderGeneration = hasStamp ? issuedUnderGeneration : -1;
        this.tag = hasStamp ? tag : 0;
        return this;
    }

    @Override
    public boolean decrypted() {
        return decrypted;
    }

    @Override
    public boolean renewRequested() {
        return renewRequested;
    }

    @Override
    public int protocolVersion() {
        return decrypted() ? protocolVersion : 0;
    }

    @Override
    public boolean hasPeerCertificate() {
        return decrypted() && hasPeerCertificate;
    }

    @Override
    public long issuedAtMillis() {
        return issuedAtMillis;
    }

    @Override
    public long ageMillis() {
        if (!decrypted()) {
            return -1;
        }
        long issued = hasStamp ? issuedAtMillis : sessionTimeSeconds * 1000;
        return Math.max(0, clock.millis() - issued);
    }

    @Override
    public long issuedUnderGeneration() {
        return issuedUnderGeneration;
    }

    @Override
    public long tag() {
        return tag;
    }

    @Override
    public int keySlot() {
        return keySlot;
    }

    @Override
    public KeySnapshot keys() {
        return keys;
    }

    @Override
    public String toString() {
        return "TicketSession{decrypted=" + decrypted() + ", protocol=0x" + Integer.toHexString(protocolVersion())
                + ", peerCertificate=" + hasPeerCertificate() + ", ageMillis=" + ageMillis() + ", keySlot="
                + keySlot + "}";
    }
}
