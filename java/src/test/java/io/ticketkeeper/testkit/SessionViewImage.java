package io.ticketkeeper.testkit;

import static io.ticketkeeper.internal.ShimLayout.STAMP_HOST_ID;
import static io.ticketkeeper.internal.ShimLayout.STAMP_ISSUED_AT_MS;
import static io.ticketkeeper.internal.ShimLayout.STAMP_KEY_GENERATION;
import static io.ticketkeeper.internal.ShimLayout.STAMP_SIZE;
import static io.ticketkeeper.internal.ShimLayout.STAMP_TAG;
import static io.ticketkeeper.internal.ShimLayout.VIEW_CONTEXT_ID;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_PEER_CERTIFICATE;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_PEER_SHA256;
import static io.ticketkeeper.internal.ShimLayout.VIEW_HAS_STAMP;
import static io.ticketkeeper.internal.ShimLayout.VIEW_KEY_GENERATION;
import static io.ticketkeeper.internal.ShimLayout.VIEW_KEY_SLOT;
import static io.ticketkeeper.internal.ShimLayout.VIEW_PEER_SHA256;
import static io.ticketkeeper.internal.ShimLayout.VIEW_PROTOCOL_VERSION;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SERVER_NAME;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SERVER_NAME_LEN;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SESSION_TIME_S;
import static io.ticketkeeper.internal.ShimLayout.VIEW_SIZE;
import static io.ticketkeeper.internal.ShimLayout.VIEW_STAMP;
import static io.ticketkeeper.internal.ShimLayout.VIEW_STATUS;

import io.ticketkeeper.internal.ShimCodes;

import java.nio.charset.StandardCharsets;

/**
 * A tk_session_view as the shim fills it, in {@link HeapMemory} at {@link #ADDRESS}, with the slots the seal upcall
 * writes and the stamp the stamp upcall writes beside it: what the upcall body reads and writes in a handshake. It
 * starts as the shim fills it for a ticket that did not open (key generation and slot -1).
 */
public final class SessionViewImage {
    /** Where the view starts (not 0, so that an offset mistaken for an address reads elsewhere). */
    public static final long ADDRESS = 64;
    /** An int32_t out_slot, an int64_t out_lifetime_s and a tk_ticket_stamp, after the view. */
    public static final long OUT_SLOT = ADDRESS + VIEW_SIZE + 8;
    public static final long OUT_LIFETIME = OUT_SLOT + 8;
    public static final long OUT_STAMP = OUT_LIFETIME + 8;
    /** The stamp upcall's uint32_t out_max_early_data, after the stamp. */
    public static final long OUT_MAX_EARLY_DATA = OUT_STAMP + STAMP_SIZE;

    private final HeapMemory memory = new HeapMemory((int) OUT_STAMP + 64);

    public SessionViewImage() {
        status(ShimCodes.TICKET_NOT_OPENED);
        memory.setLong(ADDRESS + VIEW_KEY_GENERATION, -1);
        memory.setInt(ADDRESS + VIEW_KEY_SLOT, -1);
    }

    /** A ticket opened under {@code slot} of the snapshot {@code generation}, for the context {@code contextId}. */
    public static SessionViewImage opened(long contextId, int protocolVersion, long generation, int slot) {
        return new SessionViewImage().contextId(contextId).status(ShimCodes.TICKET_OPENED).protocol(protocolVersion)
                .key(generation, slot);
    }

    public HeapMemory memory() {
        return memory;
    }

    public SessionViewImage contextId(long contextId) {
        memory.setLong(ADDRESS + VIEW_CONTEXT_ID, contextId);
        return this;
    }

    public SessionViewImage status(int status) {
        memory.setInt(ADDRESS + VIEW_STATUS, status);
        return this;
    }

    public SessionViewImage protocol(int protocolVersion) {
        memory.setInt(ADDRESS + VIEW_PROTOCOL_VERSION, protocolVersion);
        return this;
    }

    public SessionViewImage sessionTimeSeconds(long seconds) {
        memory.setLong(ADDRESS + VIEW_SESSION_TIME_S, seconds);
        return this;
    }

    public SessionViewImage key(long generation, int slot) {
        memory.setLong(ADDRESS + VIEW_KEY_GENERATION, generation);
        memory.setInt(ADDRESS + VIEW_KEY_SLOT, slot);
        return this;
    }

    public SessionViewImage stamp(long issuedAtMillis, long generation, long tag, long hostId) {
        memory.setInt(ADDRESS + VIEW_HAS_STAMP, 1);
        memory.setLong(ADDRESS + VIEW_STAMP + STAMP_ISSUED_AT_MS, issuedAtMillis);
        memory.setLong(ADDRESS + VIEW_STAMP + STAMP_KEY_GENERATION, generation);
        memory.setLong(ADDRESS + VIEW_STAMP + STAMP_TAG, tag);
        memory.setLong(ADDRESS + VIEW_STAMP + STAMP_HOST_ID, hostId);
        return this;
    }

    /** A client certificate, with its SHA-256 fingerprint when {@code sha256} is not null. */
    public SessionViewImage peerCertificate(byte[] sha256) {
        memory.setInt(ADDRESS + VIEW_HAS_PEER_CERTIFICATE, 1);
        if (sha256 != null) {
            memory.setInt(ADDRESS + VIEW_HAS_PEER_SHA256, 1);
            memory.put(ADDRESS + VIEW_PEER_SHA256, sha256);
        }
        return this;
    }

    /** The client's server_name as sent (null: none). */
    public SessionViewImage serverName(String name) {
        byte[] bytes = name == null ? new byte[0] : name.getBytes(StandardCharsets.ISO_8859_1);
        memory.put(ADDRESS + VIEW_SERVER_NAME, bytes);
        memory.setInt(ADDRESS + VIEW_SERVER_NAME_LEN, bytes.length);
        return this;
    }

    /** A server_name length as a broken shim might write it, beyond the view's room. */
    public SessionViewImage serverNameLength(int length) {
        memory.setInt(ADDRESS + VIEW_SERVER_NAME_LEN, length);
        return this;
    }
}
