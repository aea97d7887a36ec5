package io.ticketkeeper.harness;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.OpenSslCalls;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.SocketPeer;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real peer: {@code openssl s_client} saves its session on node A and resumes it on node B, two server contexts
 * on their own loopback ports sharing one redis-server through sealed entries.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenSslClientSessionStoreTest {
    private static final int SOCKET_TIMEOUT_MS = 10_000;
    private static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        SessionCacheTest.makeCertificate();
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
        SessionCacheTest.freeCertificate();
    }

    /** Serves TLS connections on a loopback port, one at a time, until closed. */
    private static final class Listener implements AutoCloseable {
        final ServerSocket socket;
        final Thread thread;

        Listener(ServerContext server) throws IOException {
            socket = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(server), "s_client-listener");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(ServerContext server) {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    connection.setSoTimeout(SOCKET_TIMEOUT_MS);
                    answer(server, connection);
                } catch (IOException | RuntimeException e) {
                    // A failed connection ends only itself; the test judges by what s_client saw.
                }
            }
        }

        private static void answer(ServerContext server, Socket connection) throws IOException {
            long ssl = SSL.SSL_new(server.address());
            try (SocketPeer peer = new SocketPeer(ssl, connection)) {
                SSL.SSL_set_accept_state(ssl);
                peer.handshake();
                peer.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                peer.shutdown();
            } finally {
                OpenSslCalls.drainErrors();
                SSL.SSL_free(ssl);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                thread.join(SOCKET_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String sClient(int port, TlsVersion version, String sessionOption, Path sessionFile)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                version == TlsVersion.TLS1_2 ? "-tls1_2" : "-tls1_3", "-no_ticket", sessionOption,
                sessionFile.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            // s_client ends at the end of its input; close it only once the server's greeting has arrived, which
            // comes after TLS 1.3's NewSessionTicket messages, so that -sess_out has a session to save.
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                if (line.equals("ok")) {
                    process.getOutputStream().close();
                }
            }
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("s_client did not finish");
        }
        return output.toString();
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void sClientResumesOnNodeBTheSessionOfNodeA(TlsVersion version, @TempDir Path directory) throws Exception {
        SealingKey key = SealingKey.generate("fleet");
        Path session = directory.resolve("session.pem");
        try (RedisSessionStore storeA = RedisSessionStore.builder(redis.uri(), List.of(key)).build();
                RedisSessionStore storeB = RedisSessionStore.builder(redis.uri(), List.of(key)).build();
                SessionCacheTest.Node a = new SessionCacheTest.Node(version, SessionCacheOptions.of(storeA));
                SessionCacheTest.Node b = new SessionCacheTest.Node(version, SessionCacheOptions.of(storeB));
                Listener onA = new Listener(a.server);
                Listener onB = new Listener(b.server)) {
            String first = sClient(onA.port(), version, "-sess_out", session);
            assertTrue(first.contains("New, TLSv1"), first);
            assertTrue(Files.size(session) > 0, "s_client saved its session");
            String second = sClient(onB.port(), version, "-sess_in", session);
            assertTrue(second.contains("Reused, TLSv1"), "node B resumed node A's session:\n" + second);
            assertTrue(storeB.stats().hits() >= 1, storeB.stats()::toString);
        }
    }
}
