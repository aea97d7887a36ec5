package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;

import java.util.Arrays;
import java.util.HexFormat;

/** A session the client holds after a handshake (an owned {@code SSL_SESSION *}), with its ticket and id. */
public final class ClientSession implements AutoCloseable {
    private final long session;

    ClientSession(long session) {
        this.session = session;
    }

    /** Takes a reference to the session {@code ssl} holds now, or returns null when it holds none. */
    public static ClientSession of(long ssl) {
        long session = SSL.SSL_get1_session(ssl);
        return session == 0 ? null : new ClientSession(session);
    }

    /** The {@code SSL_SESSION *}. */
    public long session() {
        return session;
    }

    public boolean hasTicket() {
        return SSL.SSL_SESSION_has_ticket(session) == 1;
    }

    /** The ticket bytes, empty when the session has no ticket. */
    public byte[] ticket() {
        return SSL.SSL_SESSION_get0_ticket(session);
    }

    public byte[] id() {
        return SSL.SSL_SESSION_get_id(session);
    }

    /** The ticket lifetime hint the server sent, in seconds. */
    public long lifetimeHint() {
        return SSL.SSL_SESSION_get_ticket_lifetime_hint(session);
    }

    public boolean isResumable() {
        return SSL.SSL_SESSION_is_resumable(session) == 1;
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
        SSL.SSL_SESSION_free(session);
    }
}
