package io.ticketkeeper.harness;

import static io.ticketkeeper.openssl.ffm.OpenSsl.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;

/** A session the client holds after a handshake (an owned {@code SSL_SESSION *}), with its ticket and id. */
public final class ClientSession implements AutoCloseable {
    private final MemorySegment session;

    ClientSession(MemorySegment session) {
        this.session = session;
    }

    /** Takes a reference to the session {@code ssl} holds now, or returns null when it holds none. */
    public static ClientSession of(MemorySegment ssl) {
        MemorySegment session = SSL_get1_session(ssl);
        return session.equals(MemorySegment.NULL) ? null : new ClientSession(session);
    }

    public MemorySegment session() {
        return session;
    }

    public boolean hasTicket() {
        return SSL_SESSION_has_ticket(session) == 1;
    }

    /** The ticket bytes, empty when the session has no ticket. */
    public byte[] ticket() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
            SSL_SESSION_get0_ticket(session, data, length);
            long size = length.get(ValueLayout.JAVA_LONG, 0);
            return data.get(ValueLayout.ADDRESS, 0).reinterpret(size).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    public byte[] id() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment id = SSL_SESSION_get_id(session, length);
            return id.reinterpret(length.get(ValueLayout.JAVA_INT, 0)).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** The ticket lifetime hint the server sent, in seconds. */
    public long lifetimeHint() {
        return SSL_SESSION_get_ticket_lifetime_hint(session);
    }

    public boolean isResumable() {
        return SSL_SESSION_is_resumable(session) == 1;
    }

    public boolean sameTicketAs(ClientSession other) {
        return other != null && Arrays.equals(ticket(), other.ticket());
    }

    /**
     * The ticket's last bytes in hex, for messages: a ticket starts with its key's name, shared by all tickets of
     * the key, and ends with its own MAC.
     */
    public String ticketSuffix() {
        byte[] ticket = ticket();
        int shown = Math.min(8, ticket.length);
        return ticket.length == 0 ? "(none)" : "…" + HexFormat.of().formatHex(ticket, ticket.length - shown, ticket.length);
    }

    @Override
    public void close() {
        SSL_SESSION_free(session);
    }
}
