package example;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.openssl.LibSsl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * TicketKeeper on a server {@code SSL_CTX} of this application's own, on Java 17 (the JNA backend), on the class
 * path: a full TLS 1.3 handshake, then one that resumes with the ticket the first one got. The contexts come from
 * ticketkeeper-openssl's {@link LibSsl}; the two {@code SSL}s talk over an OpenSSL BIO pair in this thread.
 */
public final class ResumeOnClassPath {
    private static final LibSsl SSL = LibSsl.get();

    private ResumeOnClassPath() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory("ticketkeeper-example");
        Path certificate = directory.resolve("server.crt");
        Path key = directory.resolve("server.key");
        selfSigned(certificate, key);

        long clientCtx = SSL.SSL_CTX_new(SSL.TLS_client_method());
        long serverCtx = serverContext(certificate, key);
        long rotatedCtx = serverContext(certificate, key);
        try {
            Runnable fullThenResumed = () -> {
                long session = handshake(serverCtx, clientCtx, 0, false);
                long resumed = handshake(serverCtx, clientCtx, session, true);
                SSL.SSL_SESSION_free(session);
                SSL.SSL_SESSION_free(resumed);
            };
            report(serve(serverCtx, fullThenResumed), 1);
            // The same on another context, with a key rotation between two such pairs.
            Runnable onRotated = () -> {
                long session = handshake(rotatedCtx, clientCtx, 0, false);
                long resumed = handshake(rotatedCtx, clientCtx, session, true);
                SSL.SSL_SESSION_free(session);
                SSL.SSL_SESSION_free(resumed);
            };
            report(serveAndRotate(rotatedCtx, onRotated), 2);
        } finally {
            SSL.SSL_CTX_free(clientCtx);
            SSL.SSL_CTX_free(rotatedCtx);
            SSL.SSL_CTX_free(serverCtx);
        }
        System.out.println("example: resumed on Java " + Runtime.version().feature() + ", class path");
    }

    private static long serverContext(Path certificate, Path key) {
        long ctx = SSL.SSL_CTX_new(SSL.TLS_server_method());
        check(SSL.SSL_CTX_use_certificate_chain_file(ctx, certificate.toString()), "certificate");
        check(SSL.SSL_CTX_use_PrivateKey_file(ctx, key.toString(), LibSsl.SSL_FILETYPE_PEM), "private key");
        return ctx;
    }

    private static void report(TicketStats stats, long resumptions) {
        System.out.println("example: " + TicketKeeper.backendDescription() + "; sealed " + stats.sealed()
                + ", resumed " + stats.resumed() + ", renewed " + stats.renewed());
        if (stats.resumed() != resumptions) {
            throw new IllegalStateException("expected " + resumptions + " resumptions: " + stats);
        }
    }

    /** TicketKeeper on {@code sslCtx} while {@code handshakes} run; README.md shows this method. */
    // tag::install[]
    static TicketStats serve(long sslCtx, Runnable handshakes) {
        try (TicketKeeperHandle handle = TicketKeeper.install(sslCtx, TicketKeeperOptions.builder()
                .keys(TicketKey.generate())                                               // the first key seals
                .policy(TicketPolicy.defaults(Duration.ofHours(12), Duration.ofHours(6))) // max age, renew after
                .build())) {
            handshakes.run();          // ... serve ...
            return handle.stats();     // sealed, resumed, renewed, rejected, ...
        }
    }
    // end::install[]

    /** The same with a key rotation between two runs of {@code handshakes}; docs/library.md shows this method. */
    // tag::rotate[]
    static TicketStats serveAndRotate(long sslCtx, Runnable handshakes) {
        try (TicketKeeperHandle handle = TicketKeeper.install(sslCtx, TicketKeeperOptions.builder()
                .keys(TicketKey.generate())                                               // the first key seals
                .policy(TicketPolicy.defaults(Duration.ofHours(12), Duration.ofHours(6))) // max age, renew after
                .build())) {
            handshakes.run();                                            // ... serve ...
            handle.setKeys(TicketKey.generate(), handle.keys().key(0)); // rotate: new key seals, old one still opens
            handshakes.run();
            return handle.stats();                                       // sealed, resumed, renewed, rejected, ...
        }
    }
    // end::rotate[]

    /** One handshake, offering {@code offer} when it is not 0; returns the client's session afterwards. */
    private static long handshake(long serverCtx, long clientCtx, long offer, boolean mustResume) {
        long server = SSL.SSL_new(serverCtx);
        long client = SSL.SSL_new(clientCtx);
        try {
            long[] pair = SSL.BIO_new_bio_pair();
            SSL.SSL_set_bio(client, pair[0], pair[0]);
            SSL.SSL_set_bio(server, pair[1], pair[1]);
            SSL.SSL_set_connect_state(client);
            SSL.SSL_set_accept_state(server);
            if (offer != 0) {
                check(SSL.SSL_set_session(client, offer), "SSL_set_session");
            }
            boolean clientDone = false;
            boolean serverDone = false;
            for (int round = 0; round < 32 && !(clientDone && serverDone); round++) {
                clientDone = clientDone || step(client, SSL.SSL_do_handshake(client));
                serverDone = serverDone || step(server, SSL.SSL_do_handshake(server));
            }
            if (!(clientDone && serverDone)) {
                throw new IllegalStateException("the handshake did not finish");
            }
            // TLS 1.3 sends tickets after the handshake: the client reads them with the server's first bytes.
            byte[] hello = {'o', 'k'};
            check(SSL.SSL_write(server, hello, 0, hello.length) == hello.length ? 1 : 0, "SSL_write");
            check(SSL.SSL_read(client, new byte[16], 0, 16) == hello.length ? 1 : 0, "SSL_read");
            boolean reused = SSL.SSL_session_reused(client) == 1;
            System.out.println("example: handshake " + (reused ? "resumed" : "full"));
            if (mustResume != reused) {
                throw new IllegalStateException("expected " + (mustResume ? "a resumption" : "a full handshake"));
            }
            SSL.SSL_shutdown(client);
            SSL.SSL_shutdown(server);
            return SSL.SSL_get1_session(client);
        } finally {
            SSL.SSL_free(client);
            SSL.SSL_free(server);
        }
    }

    private static boolean step(long ssl, int result) {
        if (result == 1) {
            return true;
        }
        int error = SSL.SSL_get_error(ssl, result);
        if (error != LibSsl.SSL_ERROR_WANT_READ && error != LibSsl.SSL_ERROR_WANT_WRITE) {
            throw new IllegalStateException("handshake failed: SSL_get_error " + error);
        }
        return false;
    }

    private static void check(int result, String what) {
        if (result != 1) {
            throw new IllegalStateException(what + " failed");
        }
    }

    /** A self-signed certificate for localhost, made by the openssl command. */
    static void selfSigned(Path certificate, Path key) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
                "-subj", "/CN=localhost", "-days", "1").redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl req failed: " + output);
        }
    }
}
