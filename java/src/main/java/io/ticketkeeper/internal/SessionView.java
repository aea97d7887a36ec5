package io.ticketkeeper.internal;

import static io.ticketkeeper.internal.ShimLayout.MAX_SERVER_NAME_LEN;
import static io.ticketkeeper.internal.ShimLayout.SHA256_LEN;
import static io.ticketkeeper.internal.ShimLayout.STAMP_HOST_ID;
import static io.ticketkeeper.internal.ShimLayout.STAMP_ISSUED_AT_MS;
import static io.ticketkeeper.internal.ShimLayout.STAMP_KEY_GENERATION;
import static io.ticketkeeper.internal.ShimLayout.STAMP_TAG;
import static io.ticketkeeper.internal.ShimLayout.TICKET_ID_LEN;
import static io.ticketkeeper.internal.ShimLayout.VIEW_CONTEXT_ID;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_PEER_CERTIFICATE;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_PEER_SHA256;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_STAMP;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_TICKET_ID;
import static io.ticketkeeper.internal.ShimLayout.VIEW_KEY_SLOT;
import static io.ticketkeeper.internal.ShimLayout.VIEW_PEER_SHA256;
import static io.ticketkeeper.internal.ShimLayout.VIEW_PROTOCOL_VERSION;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SERVER_NAME;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SERVER_NAME_LEN;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SESSION_TIME_S;
import static io.ticketkeeper.internal.ShimLayout.VIEW_STAMP;
import static io.ticketkeeper.internal.ShimLayout.VIEW_STATUS;
import static io.ticketkeeper.internal.ShimLayout.VIEW_TICKET_ID;

import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.TicketSession;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/** A reusable, per-thread {@link TicketSession} that the upcall body fills from the shim's session view. */
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
    private final byte[] peerSha256 = new byte[SHA256_LEN];
    private final ByteBuffer peerSha256View = ByteBuffer.wrap(peerSha256).asReadOnlyBuffer();
    private final ByteBuffer noPeerSha256 = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private boolean hasPeerSha256;
    private final byte[] serverName = new byte[MAX_SERVER_NAME_LEN];
    private int serverNameLength;
    private final byte[] ticketId = new byte[TICKET_ID_LEN];
    private boolean hasTicketId;

    SessionView(Clock clock) {
        this.clock = clock;
    }

    /**
     * Fills the view from the shim's tk_session_view at {@code view}, read through {@code memory} at the offsets of
     * {@link ShimLayout}; {@code keys} is the snapshot the view's key generation names. The stamp's values (and the
     * host id the ticket is bound to) are read only when the view has a stamp. Allocates nothing.
     */
    public SessionView read(NativeMemory memory, long view, KeySnapshot keys) {
        int status = memory.getInt(view + VIEW_STATUS);
        this.contextId = memory.getLong(view + VIEW_CONTEXT_ID);
        this.foreign = status == ShimCodes.TICKET_FOREIGN;
        this.opened = status == ShimCodes.TICKET_OPENED || status == ShimCodes.TICKET_OPENED_RENEW;
        this.renewRequested = status == ShimCodes.TICKET_OPENED_RENEW;
        this.protocolVersion = memory.getInt(view + VIEW_PROTOCOL_VERSION);
        this.hasPeerCertificate = memory.getInt(view + VIEW_HAS_PEER_CERTIFICATE) != 0;
        this.sessionTimeSeconds = memory.getLong(view + VIEW_SESSION_TIME_S);
        this.keys = keys;
        this.keySlot = memory.getInt(view + VIEW_KEY_SLOT);
        this.hasStamp = memory.getInt(view + VIEW_HAS_STAMP) != 0;
        readStamp(memory, view + VIEW_STAMP);
        this.nowMillis = clock.millis();
        this.hasPeerSha256 = memory.getInt(view + VIEW_HAS_PEER_SHA256) != 0;
        if (hasPeerSha256) {
            memory.copy(view + VIEW_PEER_SHA256, peerSha256, SHA256_LEN);
        }
        int length = memory.getInt(view + VIEW_SERVER_NAME_LEN);
        this.serverNameLength = length > 0 && length <= MAX_SERVER_NAME_LEN ? length : 0;
        if (serverNameLength > 0) {
            memory.copy(view + VIEW_SERVER_NAME, serverName, serverNameLength);
        }
        this.hasTicketId = memory.getInt(view + VIEW_HAS_TICKET_ID) != 0;
        if (hasTicketId) {
            memory.copy(view + VIEW_TICKET_ID, ticketId, TICKET_ID_LEN);
        }
        return this;
    }

    private void readStamp(NativeMemory memory, long stamp) {
        if (!hasStamp) {
            this.issuedAtMillis = -1;
            this.issuedUnderGeneration = -1;
            this.tag = 0;
            this.boundHostId = 0;
            return;
        }
        this.issuedAtMillis = memory.getLong(stamp + STAMP_ISSUED_AT_MS);
        this.issuedUnderGeneration = memory.getLong(stamp + STAMP_KEY_GENERATION);
        this.tag = memory.getLong(stamp + STAMP_TAG);
        this.boundHostId = memory.getLong(stamp + STAMP_HOST_ID);
    }

    /**
     * A new array: {@code label} followed by the presented TLS 1.3 ticket's identity (tk_session_view.ticket_id),
     * or null when the view has none (TLS 1.2, a ticket not opened).
     */
    public byte[] ticketIdKey(byte label) {
        if (!hasTicketId) {
            return null;
        }
        byte[] key = new byte[1 + TICKET_ID_LEN];
        key[0] = label;
        System.arraycopy(ticketId, 0, key, 1, TICKET_ID_LEN);
        return key;
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
