package io.ticketkeeper.harness;

import static io.ticketkeeper.openssl.ffm.OpenSsl.*;
import static io.ticketkeeper.harness.OpenSslCalls.check;
import static io.ticketkeeper.harness.OpenSslCalls.checkNotNull;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A handshake between a client and a server {@code SSL} joined by one BIO pair, in this thread: fast, and as real
 * as a socket to OpenSSL. After the handshake the server writes two bytes that the client reads, so TLS 1.3 tickets
 * (sent after the handshake) reach the client before its session is taken.
 */
public final class MemoryHandshake {
    private static final int MAX_ROUNDS = 64;

    private MemoryHandshake() {
    }

    /** Something to do to the client's {@code SSL} before its handshake (offer a session, tag it for a cache). */
    @FunctionalInterface
    public interface ClientSetup {
        void prepare(MemorySegment clientSsl);
    }

    /** Handshakes, offering {@code offer}'s session when it is not null. */
    public static HandshakeResult run(ServerContext server, ClientContext client, ClientSession offer) {
        return run(server, client, offer, ssl -> { });
    }

    /** Handshakes after {@code setup} prepared the client's {@code SSL}. */
    public static HandshakeResult runPrepared(ServerContext server, ClientContext client, ClientSetup setup) {
        return run(server, client, null, setup);
    }

    private static HandshakeResult run(ServerContext server, ClientContext client, ClientSession offer,
            ClientSetup setup) {
        MemorySegment serverSsl = checkNotNull(SSL_new(server.ctx()), "SSL_new(server)");
        MemorySegment clientSsl = SSL_new(client.ctx());
        try (Arena arena = Arena.ofConfined()) {
            checkNotNull(clientSsl, "SSL_new(client)");
            MemorySegment clientBio = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment serverBio = arena.allocate(ValueLayout.ADDRESS);
            check(BIO_new_bio_pair(clientBio, 0, serverBio, 0), "BIO_new_bio_pair");
            SSL_set_bio(clientSsl, clientBio.get(ValueLayout.ADDRESS, 0), clientBio.get(ValueLayout.ADDRESS, 0));
            SSL_set_bio(serverSsl, serverBio.get(ValueLayout.ADDRESS, 0), serverBio.get(ValueLayout.ADDRESS, 0));
            SSL_set_connect_state(clientSsl);
            SSL_set_accept_state(serverSsl);
            if (offer != null) {
                check(SSL_set_session(clientSsl, offer.session()), "SSL_set_session");
            }
            setup.prepare(clientSsl);
            String error = handshake(clientSsl, serverSsl);
            if (error == null) {
                error = exchange(arena, serverSsl, clientSsl);
            }
            if (error != null) {
                return HandshakeResult.failed(error);
            }
            HandshakeResult result = SessionFacts.of(clientSsl, serverSsl);
            // A connection freed without close_notify marks its session as not resumable.
            SSL_shutdown(clientSsl);
            SSL_shutdown(serverSsl);
            return result;
        } finally {
            OpenSslCalls.drainErrors();
            SSL_free(clientSsl);
            SSL_free(serverSsl);
        }
    }

    private static String handshake(MemorySegment clientSsl, MemorySegment serverSsl) {
        boolean clientDone = false;
        boolean serverDone = false;
        for (int round = 0; round < MAX_ROUNDS && !(clientDone && serverDone); round++) {
            if (!clientDone) {
                int result = SSL_do_handshake(clientSsl);
                clientDone = result == 1;
                if (!clientDone && !wantsMore(clientSsl, result)) {
                    return "client: " + OpenSslCalls.drainErrors();
                }
            }
            if (!serverDone) {
                int result = SSL_do_handshake(serverSsl);
                serverDone = result == 1;
                if (!serverDone && !wantsMore(serverSsl, result)) {
                    return "server: " + OpenSslCalls.drainErrors();
                }
            }
        }
        return clientDone && serverDone ? null : "the handshake did not finish in " + MAX_ROUNDS + " rounds";
    }

    private static boolean wantsMore(MemorySegment ssl, int result) {
        int error = SSL_get_error(ssl, result);
        return error == SSL_ERROR_WANT_READ() || error == SSL_ERROR_WANT_WRITE();
    }

    private static String exchange(Arena arena, MemorySegment serverSsl, MemorySegment clientSsl) {
        MemorySegment message = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 'o', (byte) 'k');
        if (SSL_write(serverSsl, message, 2) != 2) {
            return "server write: " + OpenSslCalls.drainErrors();
        }
        MemorySegment buffer = arena.allocate(16);
        int read = SSL_read(clientSsl, buffer, 16);
        return read == 2 ? null : "client read returned " + read + ": " + OpenSslCalls.drainErrors();
    }
}
