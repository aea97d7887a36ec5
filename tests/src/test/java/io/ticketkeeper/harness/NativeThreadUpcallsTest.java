package io.ticketkeeper.harness;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;
import static io.ticketkeeper.endpoints.OpenSslCalls.checkNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.OpenSslCalls;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

import com.sun.jna.Function;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Handshakes driven by a thread that C made and the JVM never saw, as in a server whose event loop is native: the
 * upcalls attach it (the JNI bridge as a daemon, once, detached when the thread ends; JNA and FFM their own way),
 * seal, stamp, open and decide, and the thread ends without harm. The thread comes from a small C helper built here
 * with gcc, which runs a whole handshake over a BIO pair on a new pthread.
 */
class NativeThreadUpcallsTest {
    private static final String HELPER = """
            #include <pthread.h>
            #include <openssl/ssl.h>

            struct job { SSL *client; SSL *server; int done; };

            static int step(SSL *ssl, int *finished) {
                if (*finished) return 1;
                int result = SSL_do_handshake(ssl);
                if (result == 1) { *finished = 1; return 1; }
                int error = SSL_get_error(ssl, result);
                return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
            }

            /* The handshake, then two bytes from the server, which carry TLS 1.3's tickets to the client. */
            static void *run(void *arg) {
                struct job *job = arg;
                int client = 0, server = 0;
                for (int round = 0; round < 64 && !(client && server); round++) {
                    if (!step(job->client, &client) || !step(job->server, &server)) return NULL;
                }
                char bytes[2];
                job->done = client && server && SSL_write(job->server, "ok", 2) == 2
                        && SSL_read(job->client, bytes, 2) == 2;
                return NULL;
            }

            int handshake_on_native_thread(SSL *client, SSL *server) {
                struct job job = {client, server, 0};
                pthread_t thread;
                if (pthread_create(&thread, NULL, run, &job) != 0) return -1;
                pthread_join(thread, NULL);
                return job.done;
            }
            """;

    private static SelfSignedCertificate certificate;
    private static Function nativeHandshake;

    @BeforeAll
    static void build(@TempDir Path dir) throws Exception {
        certificate = SelfSignedCertificate.create("native-thread");
        Path source = dir.resolve("native_thread.c");
        Path library = dir.resolve("libnative_thread.so");
        Files.writeString(source, HELPER);
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", library.toString(), source.toString(),
                "-lssl", "-lpthread").redirectErrorStream(true).start();
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc did not finish");
        assertEquals(0, gcc.exitValue(), new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        nativeHandshake = com.sun.jna.NativeLibrary.getInstance(library.toString()).getFunction(
                "handshake_on_native_thread");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketIsSealedAndOpenedOnThreadsTheJvmNeverSaw(TlsVersion version) {
        try (ServerContext server = ServerContext.builder(version, certificate).build();
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = TicketKeeper.install(server.address(),
                        TicketKeeperOptions.builder().keys(TicketKey.generate()).build())) {
            long session = handshake(server, client, 0, false);
            try {
                handshake(server, client, session, true);
            } finally {
                SSL.SSL_SESSION_free(session);
            }
            TicketStats stats = handle.stats();
            assertTrue(stats.sealed() >= 1 && stats.resumed() == 1, stats::toString);
            assertEquals(0, stats.upcallErrors(), stats::toString);
        }
    }

    /** One handshake on a new native thread, offering {@code offer} when it is not 0; the client's session. */
    private static long handshake(ServerContext server, ClientContext client, long offer, boolean resumes) {
        long serverSsl = checkNotNull(SSL.SSL_new(server.address()), "SSL_new(server)");
        long clientSsl = checkNotNull(SSL.SSL_new(client.address()), "SSL_new(client)");
        try {
            long[] pair = SSL.BIO_new_bio_pair();
            check(pair == null ? 0 : 1, "BIO_new_bio_pair");
            SSL.SSL_set_bio(clientSsl, pair[0], pair[0]);
            SSL.SSL_set_bio(serverSsl, pair[1], pair[1]);
            SSL.SSL_set_connect_state(clientSsl);
            SSL.SSL_set_accept_state(serverSsl);
            if (offer != 0) {
                check(SSL.SSL_set_session(clientSsl, offer), "SSL_set_session");
            }
            int done = nativeHandshake.invokeInt(new Object[] {new Pointer(clientSsl), new Pointer(serverSsl)});
            assertEquals(1, done, () -> "the handshake on the native thread failed: " + OpenSslCalls.drainErrors());
            assertEquals(resumes ? 1 : 0, SSL.SSL_session_reused(serverSsl), () -> "resumed, " + TicketKeeper.upcalls()
                    + " upcalls");
            long session = checkNotNull(SSL.SSL_get1_session(clientSsl), "SSL_get1_session");
            // A connection freed without close_notify marks its session as not resumable.
            SSL.SSL_shutdown(clientSsl);
            SSL.SSL_shutdown(serverSsl);
            return session;
        } finally {
            OpenSslCalls.drainErrors();
            SSL.SSL_free(clientSsl);
            SSL.SSL_free(serverSsl);
        }
    }
}
