package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;
import static io.ticketkeeper.endpoints.OpenSslCalls.checkNotNull;

import io.ticketkeeper.openssl.LibSsl;

import java.io.ByteArrayOutputStream;
import java.util.function.LongConsumer;

/**
 * A TLS 1.3 resumption that offers early data, client and server in this thread over one BIO pair: the client
 * sends its data with the ClientHello (SSL_write_early_data), the server reads what OpenSSL accepts
 * (SSL_read_early_data), then both finish the handshake. Each call is a new ClientHello (a new random).
 */
public final class EarlyDataHandshake {
    private static final int MAX_ROUNDS = 64;

    /**
     * What became of the early data.
     *
     * @param completed the handshake finished on both sides
     * @param resumed the session was resumed
     * @param status the server's SSL_get_early_data_status (LibSsl.SSL_EARLY_DATA_*)
     * @param read the early data the server read (empty unless accepted)
     */
    public record Outcome(boolean completed, boolean resumed, int status, byte[] read) {
        public boolean accepted() {
            return status == LibSsl.SSL_EARLY_DATA_ACCEPTED;
        }
    }

    private EarlyDataHandshake() {
    }

    /**
     * Resumes {@code offer} sending {@code data} as early data; {@code server} sees the server's {@code SSL *} once
     * the handshake finished, before it is freed.
     */
    public static Outcome run(ServerContext serverContext, ClientContext client, ClientSession offer, byte[] data,
            LongConsumer server) {
        long serverSsl = checkNotNull(SSL.SSL_new(serverContext.address()), "SSL_new(server)");
        long clientSsl = SSL.SSL_new(client.address());
        try {
            checkNotNull(clientSsl, "SSL_new(client)");
            long[] pair = SSL.BIO_new_bio_pair();
            check(pair == null ? 0 : 1, "BIO_new_bio_pair");
            SSL.SSL_set_bio(clientSsl, pair[0], pair[0]);
            SSL.SSL_set_bio(serverSsl, pair[1], pair[1]);
            SSL.SSL_set_connect_state(clientSsl);
            SSL.SSL_set_accept_state(serverSsl);
            check(SSL.SSL_set_session(clientSsl, offer.session()), "SSL_set_session");
            long[] written = new long[1];
            check(SSL.SSL_write_early_data(clientSsl, data, data.length, written), "SSL_write_early_data");
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            boolean done = run(clientSsl, serverSsl, read);
            int status = SSL.SSL_get_early_data_status(serverSsl);
            boolean resumed = done && SSL.SSL_session_reused(serverSsl) == 1;
            if (done) {
                server.accept(serverSsl);
                SSL.SSL_shutdown(clientSsl);
                SSL.SSL_shutdown(serverSsl);
            }
            return new Outcome(done, resumed, status, read.toByteArray());
        } finally {
            OpenSslCalls.drainErrors();
            SSL.SSL_free(clientSsl);
            SSL.SSL_free(serverSsl);
        }
    }

    private static boolean run(long clientSsl, long serverSsl, ByteArrayOutputStream read) {
        byte[] buffer = new byte[16384];
        long[] count = new long[1];
        boolean reading = true;
        boolean serverDone = false;
        boolean clientDone = false;
        for (int round = 0; round < MAX_ROUNDS && !(serverDone && clientDone); round++) {
            while (reading) {
                int result = SSL.SSL_read_early_data(serverSsl, buffer, buffer.length, count);
                if (result == LibSsl.SSL_READ_EARLY_DATA_SUCCESS) {
                    read.write(buffer, 0, (int) count[0]);
                } else if (result == LibSsl.SSL_READ_EARLY_DATA_FINISH) {
                    reading = false;
                } else if (wantsMore(serverSsl, result)) {
                    break;
                } else {
                    return false;
                }
            }
            if (!reading && !serverDone) {
                int result = SSL.SSL_do_handshake(serverSsl);
                serverDone = result == 1;
                if (!serverDone && !wantsMore(serverSsl, result)) {
                    return false;
                }
            }
            if (!clientDone) {
                int result = SSL.SSL_do_handshake(clientSsl);
                clientDone = result == 1;
                if (!clientDone && !wantsMore(clientSsl, result)) {
                    return false;
                }
            }
        }
        return serverDone && clientDone;
    }

    private static boolean wantsMore(long ssl, int result) {
        int error = SSL.SSL_get_error(ssl, result);
        return error == LibSsl.SSL_ERROR_WANT_READ || error == LibSsl.SSL_ERROR_WANT_WRITE;
    }
}
