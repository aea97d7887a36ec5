package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;
import static io.ticketkeeper.endpoints.OpenSslCalls.checkNotNull;

import io.ticketkeeper.openssl.LibSsl;

/**
 * A handshake between a client and a server {@code SSL} joined by one BIO pair, in this thread: fast, and as real
 * as a socket to OpenSSL. After the handshake the server writes two bytes that the client reads, so TLS 1.3 tickets
 * (sent after the handshake) reach the client before its session is taken.
 */
public final class MemoryHandshake {
    private static final int MAX_ROUNDS = 64;
    private static final byte[] GREETING = {'o', 'k'};

    private MemoryHandshake() {
    }

    /** Something to do to the client's {@code SSL} before its handshake (offer a session, tag it for a cache). */
    @FunctionalInterface
    public interface ClientSetup {
        void prepare(long clientSsl);
    }

    /** Handshakes, offering {@code offer}'s session when it is not null. */
    public static HandshakeResult run(ServerContext server, ClientContext client, ClientSession offer) {
        return run(server, null, client, offer, ssl -> { });
    }

    /**
     * Handshakes on a server connection made on {@code server} and moved to {@code switchTo} before its handshake
     * ({@code SSL_set_SSL_CTX}), as a virtual-host server's client_hello or servername callback moves it: OpenSSL
     * keeps running the ticket callbacks of {@code server}, with its callback argument.
     */
    public static HandshakeResult runSwitched(ServerContext server, ServerContext switchTo, ClientContext client,
            ClientSession offer) {
        return run(server, switchTo, client, offer, ssl -> { });
    }

    /**
     * Handshakes with the client naming {@code serverName} in its server_name extension (SNI), offering
     * {@code offer}'s session when it is not null. The server connection stays on {@code server}: no servername
     * callback runs.
     */
    public static HandshakeResult runNamed(ServerContext server, ClientContext client, String serverName,
            ClientSession offer) {
        return run(server, null, client, offer,
                ssl -> check(SSL.SSL_set_tlsext_host_name(ssl, serverName), "SSL_set_tlsext_host_name"));
    }

    /** Handshakes after {@code setup} prepared the client's {@code SSL}. */
    public static HandshakeResult runPrepared(ServerContext server, ClientContext client, ClientSetup setup) {
        return run(server, null, client, null, setup);
    }

    private static HandshakeResult run(ServerContext server, ServerContext switchTo, ClientContext client,
            ClientSession offer, ClientSetup setup) {
        long serverSsl = checkNotNull(SSL.SSL_new(server.address()), "SSL_new(server)");
        long clientSsl = SSL.SSL_new(client.address());
        try {
            checkNotNull(clientSsl, "SSL_new(client)");
            if (switchTo != null) {
                checkNotNull(SSL.SSL_set_SSL_CTX(serverSsl, switchTo.address()), "SSL_set_SSL_CTX");
            }
            long[] pair = SSL.BIO_new_bio_pair();
            check(pair == null ? 0 : 1, "BIO_new_bio_pair");
            SSL.SSL_set_bio(clientSsl, pair[0], pair[0]);
            SSL.SSL_set_bio(serverSsl, pair[1], pair[1]);
            SSL.SSL_set_connect_state(clientSsl);
            SSL.SSL_set_accept_state(serverSsl);
            if (offer != null) {
                check(SSL.SSL_set_session(clientSsl, offer.session()), "SSL_set_session");
            }
            setup.prepare(clientSsl);
            String error = handshake(clientSsl, serverSsl);
            if (error == null) {
                error = exchange(serverSsl, clientSsl);
            }
            if (error != null) {
                return HandshakeResult.failed(error);
            }
            HandshakeResult result = SessionFacts.of(clientSsl, serverSsl);
            // A connection freed without close_notify marks its session as not resumable.
            SSL.SSL_shutdown(clientSsl);
            SSL.SSL_shutdown(serverSsl);
            return result;
        } finally {
            OpenSslCalls.drainErrors();
            SSL.SSL_free(clientSsl);
            SSL.SSL_free(serverSsl);
        }
    }

    private static String handshake(long clientSsl, long serverSsl) {
        boolean clientDone = false;
        boolean serverDone = false;
        for (int round = 0; round < MAX_ROUNDS && !(clientDone && serverDone); round++) {
            if (!clientDone) {
                int result = SSL.SSL_do_handshake(clientSsl);
                clientDone = result == 1;
                if (!clientDone && !wantsMore(clientSsl, result)) {
                    return "client: " + OpenSslCalls.drainErrors();
                }
            }
            if (!serverDone) {
                int result = SSL.SSL_do_handshake(serverSsl);
                serverDone = result == 1;
                if (!serverDone && !wantsMore(serverSsl, result)) {
                    return "server: " + OpenSslCalls.drainErrors();
                }
            }
        }
        return clientDone && serverDone ? null : "the handshake did not finish in " + MAX_ROUNDS + " rounds";
    }

    private static boolean wantsMore(long ssl, int result) {
        int error = SSL.SSL_get_error(ssl, result);
        return error == LibSsl.SSL_ERROR_WANT_READ || error == LibSsl.SSL_ERROR_WANT_WRITE;
    }

    private static String exchange(long serverSsl, long clientSsl) {
        if (SSL.SSL_write(serverSsl, GREETING, 0, GREETING.length) != GREETING.length) {
            return "server write: " + OpenSslCalls.drainErrors();
        }
        byte[] buffer = new byte[16];
        int read = SSL.SSL_read(clientSsl, buffer, 0, buffer.length);
        return read == 2 ? null : "client read returned " + read + ": " + OpenSslCalls.drainErrors();
    }
}
