package io.ticketkeeper.session;

import io.ticketkeeper.internal.Backends;
import io.ticketkeeper.internal.ClientPeers;
import io.ticketkeeper.internal.SessionNatives;

import java.util.Optional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client's sessions, one per peer (host, port, SNI): it keeps the newest session each server gave (fed by the
 * client context's new-session callback) and offers it on the next connection to that peer. Export and import as
 * PEM let a client resume across restarts.
 *
 * <pre>{@code
 * ClientSessionCache cache = ClientSessionCache.install(clientSslCtx);
 * cache.importFrom(file);                        // at start-up, if the file exists
 * long ssl = SSL_new(clientSslCtx);
 * cache.prepare(ssl, new Peer("example.com", 443, "example.com"));   // before SSL_connect
 * ...
 * cache.exportTo(file);                          // at shutdown
 * }</pre>
 *
 * The context's client session cache mode is set to {@code SSL_SESS_CACHE_CLIENT} without OpenSSL's internal
 * store. One cache serves one context; closing it stops recording (the context may keep handshaking).
 */
public final class ClientSessionCache implements AutoCloseable {
    /**
     * The server a session belongs to.
     *
     * @param host the host name or address connected to
     * @param port the TCP port
     * @param sni the server name sent in SNI, or empty for none
     */
    public record Peer(String host, int port, String sni) {
        public Peer {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(sni, "sni");
            if (host.isEmpty() || host.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("peer host must be non-empty without spaces, not '" + host + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("peer port must be 1 to 65535, not " + port);
            }
            if (sni.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("peer SNI must have no spaces, not '" + sni + "'");
            }
        }

        String label() {
            return "peer " + host + " " + port + " " + (sni.isEmpty() ? "-" : sni);
        }

        static Peer parse(String label) {
            String[] parts = label.split(" ");
            if (parts.length != 4 || !parts[0].equals("peer")) {
                throw new IllegalArgumentException("'" + label + "' is not a peer label (peer HOST PORT SNI)");
            }
            return new Peer(parts[1], Integer.parseInt(parts[2]), parts[3].equals("-") ? "" : parts[3]);
        }
    }

    private final SessionNatives natives;
    private final Map<Peer, Long> peerNumbers = new ConcurrentHashMap<>();
    private final Map<Peer, byte[]> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private ClientSessionCache(SessionNatives natives) {
        this.natives = natives;
    }

    /** Installs the new-session callback on the client context at {@code clientSslCtx} (an {@code SSL_CTX *}). */
    public static ClientSessionCache install(long clientSslCtx) {
        if (clientSslCtx == 0) {
            throw new IllegalArgumentException("clientSslCtx is NULL");
        }
        SessionNatives natives = Backends.get().sessionNatives();
        natives.installClientCache(clientSslCtx);
        return new ClientSessionCache(natives);
    }

    /**
     * Prepares the client connection {@code ssl} (an {@code SSL *}, before its handshake) to {@code peer}: its new
     * sessions will be kept under {@code peer}, and the newest session kept for {@code peer}, if any, is offered.
     *
     * @return whether a session was offered
     */
    public boolean prepare(long ssl, Peer peer) {
        Objects.requireNonNull(peer, "peer");
        if (ssl == 0) {
            throw new IllegalArgumentException("ssl is NULL");
        }
        if (closed) {
            throw new IllegalStateException("the client session cache is closed");
        }
        natives.tag(ssl, peerNumbers.computeIfAbsent(peer, this::register));
        byte[] session = sessions.get(peer);
        if (session == null) {
            return false;
        }
        try {
            natives.offer(ssl, session);
            return true;
        } catch (IllegalArgumentException e) {
            sessions.remove(peer, session);
            return false;
        }
    }

    private long register(Peer peer) {
        return ClientPeers.register((number, session) -> sessions.put(peer, session));
    }

    /** The newest session kept for {@code peer} (DER); empty when there is none. */
    public Optional<byte[]> session(Peer peer) {
        return Optional.ofNullable(sessions.get(peer)).map(byte[]::clone);
    }

    /** Forgets {@code peer}'s session, for example after the server refused it. */
    public void forget(Peer peer) {
        sessions.remove(peer);
    }

    public int size() {
        return sessions.size();
    }

    /** Writes every kept session to {@code file} as PEM, labelled with its peer (owner-only, atomic). */
    public void exportTo(Path file) {
        List<SessionFiles.LabeledSession> entries = new ArrayList<>();
        sessions.forEach((peer, session) -> entries.add(new SessionFiles.LabeledSession(peer.label(), session)));
        SessionFiles.write(file, entries);
    }

    /**
     * Reads the sessions {@link #exportTo} wrote, replacing the kept ones of the same peers.
     *
     * @return the number of sessions read
     * @throws IllegalArgumentException naming the file and what in it is wrong
     */
    public int importFrom(Path file) {
        List<SessionFiles.LabeledSession> entries = SessionFiles.read(file);
        for (SessionFiles.LabeledSession entry : entries) {
            try {
                sessions.put(Peer.parse(entry.label()), entry.session());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        return entries.size();
    }

    /** Stops keeping new sessions; connections tagged before may still finish their handshakes. */
    @Override
    public void close() {
        closed = true;
        peerNumbers.values().forEach(ClientPeers::unregister);
    }

    @Override
    public String toString() {
        return "ClientSessionCache{peers=" + sessions.size() + (closed ? ", closed" : "") + "}";
    }
}
