package io.ticketkeeper.internal;

import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.TicketSession;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/** A reusable, per-thread {@link TicketSession} that a backend fills from the shim's session view. */
public final class SessionView implements TicketSession {
    private final Clock clock;
    private long contextId;
    private boolean foreign;
    private long boundHostId;
    private boolean opened;
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
    private long nowMillis;
    private final byte[] peerSha256 = new byte[32];
    private final ByteBuffer peerSha256View = ByteBuffer.wrap(peerSha256).asReadOnlyBuffer();
    private final ByteBuffer noPeerSha256 = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private boolean hasPeerSha256;
    private final byte[] serverName = new byte[ShimLayout.MAX_SERVER_NAME_LEN];
    private int serverNameLength;

    SessionView(Clock clock) {
        this.clock = clock;
    }

    /**
     * Fills the view from the shim's session view: {@code status} is its TK_TICKET_* code
     * ({@link TicketDecider#TICKET_OPENED} and the others); the stamp values (and the host id the ticket is bound
     * to) are ignored when {@code hasStamp} is false.
     */
    public SessionView fill(long contextId, int status, int protocolVersion, boolean hasPeerCertificate,
            long sessionTimeSeconds, KeySnapshot keys, int keySlot, boolean hasStamp, long issuedAtMillis,
            long issuedUnderGeneration, long tag, long hostId) {
        this.contextId = contextId;
        this.foreign = status == TicketDecider.TICKET_FOREIGN;
        this.opened = status == TicketDecider.TICKET_OPENED || status == TicketDecider.TICKET_OPENED_RENEW;
        this.renewRequested = status == TicketDecider.TICKET_OPENED_RENEW;
        this.protocolVersion = protocolVersion;
        this.hasPeerCertificate = hasPeerCertificate;
        this.sessionTimeSeconds = sessionTimeSeconds;
        this.keys = keys;
        this.keySlot = keySlot;
        this.hasStamp = hasStamp;
        this.issuedAtMillis = hasStamp ? issuedAtMillis : -1;
        this.issuedUnderGeneration = hasStamp ? issuedUnderGeneration : -1;
        this.tag = hasStamp ? tag : 0;
        this.boundHostId = hasStamp ? hostId : 0;
        this.nowMillis = clock.millis();
        this.hasPeerSha256 = false;
        this.serverNameLength = 0;
        return this;
    }

    /** The id of the context the ticket was presented to. */
    public long contextId() {
        return contextId;
    }

    /** Whether another library's ticket key callback opened the ticket (nothing else is known then). */
    public boolean foreign() {
        return foreign;
    }

    /** The host id stamped into the ticket, or 0 when it is bound to no host. */
    public long boundHostId() {
        return boundHostId;
    }

    /** The buffer a backend copies the client certificate's fingerprint into before {@link #peerSha256Filled}. */
    public byte[] peerSha256Buffer() {
        return peerSha256;
    }

    /** Marks the fingerprint in {@link #peerSha256Buffer()} as present; call after {@link #fill}. */
    public SessionView peerSha256Filled() {
        this.hasPeerSha256 = true;
        return this;
    }

    /**
     * The buffer a backend copies the client's server_name bytes into before {@link #serverNameFilled}: room for
     * {@link ShimLayout#MAX_SERVER_NAME_LEN} bytes.
     */
    public byte[] serverNameBuffer() {
        return serverName;
    }

    /** Marks the first {@code length} bytes of {@link #serverNameBuffer()} as the server name; after {@link #fill}. */
    public SessionView serverNameFilled(int length) {
        this.serverNameLength = length < 0 || length > serverName.length ? 0 : length;
        return this;
    }

    /** Whether the client sent a server name with the ticket. */
    public boolean hasServerName() {
        return serverNameLength > 0;
    }

    /**
     * Whether the client's server name is {@code name}, a host name normalised as {@link HostScopes#normalize}
     * does (lower case, no trailing dot) in its UTF-8 bytes: ASCII letters compare without case, one trailing dot
     * of the server name is ignored, every other byte must be equal. Allocates nothing.
     */
    public boolean serverNameIs(byte[] name) {
        int length = serverNameLength;
        if (length > 0 && serverName[length - 1] == '.') {
            length--;
        }
        if (length == 0 || length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int b = serverName[i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != name[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<String> serverName() {
        if (serverNameLength == 0) {
            return Optional.empty();
        }
        return Optional.of(new String(serverName, 0, serverNameLength, StandardCharsets.ISO_8859_1));
    }

    @Override
    public long nowMillis() {
        return nowMillis;
    }

    @Override
    public ByteBuffer peerCertificateSha256() {
        if (!opened || !hasPeerSha256) {
            return noPeerSha256;
        }
        return peerSha256View.clear();
    }

    @Override
    public boolean opened() {
        return opened;
    }

    @Override
    public boolean renewRequested() {
        return renewRequested;
    }

    @Override
    public int protocolVersion() {
        return opened() ? protocolVersion : 0;
    }

    @Override
    public boolean hasPeerCertificate() {
        return opened() && hasPeerCertificate;
    }

    @Override
    public long issuedAtMillis() {
        return issuedAtMillis;
    }

    @Override
    public long ageMillis() {
        if (!opened()) {
            return -1;
        }
        long issued = hasStamp ? issuedAtMillis : sessionTimeSeconds * 1000;
        return Math.max(0, nowMillis - issued);
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
        return "TicketSession{opened=" + opened() + ", protocol=0x" + Integer.toHexString(protocolVersion())
                + ", peerCertificate=" + hasPeerCertificate() + ", ageMillis=" + ageMillis() + ", keySlot="
                + keySlot + "}";
    }
}
