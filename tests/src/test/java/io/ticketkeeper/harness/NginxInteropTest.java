package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.SessionIdContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.SocketHandshake;
import io.ticketkeeper.endpoints.TlsVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debian's nginx and a TicketKeeper server share a ticket key file (80 bytes, made as nginx documents, and the
 * 48-byte form) and nginx's session id context: a ticket sealed by either resumes on the other.
 */
class NginxInteropTest {
    private static final Duration SESSION_TIMEOUT = Duration.ofMinutes(5);
    private static SelfSignedCertificate certificate;

    @TempDir
    Path directory;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("localhost");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    /** An nginx and a TicketKeeper server with the same certificate and key files, and a client for both. */
    private final class Fleet implements AutoCloseable {
        final NginxServer nginx;
        final ServerContext server;
        final ClientContext client;
        final TicketKeeperHandle handle;

        Fleet(TlsVersion version, KeyFileFormat format, List<Path> keyFiles) throws IOException {
            assertTrue(NginxServer.available(), "nginx is not installed at " + NginxServer.BINARY
                    + " (Debian package nginx-light; .ci/run installs it)");
            nginx = NginxServer.start(directory, certificate, version, keyFiles, SESSION_TIMEOUT);
            server = ServerContext.builder(version, certificate).build();
            client = new ClientContext(version, certificate);
            handle = TicketKeeper.install(server.address(), TicketKeeperOptions.builder()
                    .keySource(KeyFiles.of(format, keyFiles.toArray(new Path[0])))
                    .sessionIdContext(SessionIdContext.nginx())
                    .build());
        }

        @Override
        public void close() {
            handle.close();
            client.close();
            server.close();
            nginx.close();
        }
    }

    private Path randomKeyFile(String name, int size) throws IOException {
        byte[] key = new byte[size];
        new SecureRandom().nextBytes(key);
        Path file = directory.resolve(name);
        Files.write(file, key);
        Arrays.fill(key, (byte) 0);
        return file;
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketFromNginxResumesOnTicketKeeperAndBack(TlsVersion version) throws IOException {
        Path keyFile = directory.resolve("ticket.key");
        // As nginx documents it: openssl rand 80 > ticket.key
        Process rand = new ProcessBuilder("openssl", "rand", "-out", keyFile.toString(), "80").inheritIO().start();
        assertEquals(0, waitFor(rand), "openssl rand failed");
        try (Fleet fleet = new Fleet(version, KeyFileFormat.NGINX, List.of(keyFile))) {
            try (HandshakeResult fromNginx = fleet.nginx.handshake(fleet.client, null)) {
                assertTrue(fromNginx.completed(), () -> fromNginx + "\n" + fleet.nginx.log());
                assertTrue(fromNginx.hasTicket(), "nginx issued no ticket");
                assertTrue(fleet.nginx.handshake(fleet.client, fromNginx.session()).resumed(),
                        "nginx does not resume its own ticket");
                try (HandshakeResult onTicketKeeper = SocketHandshake.run(fleet.server, fleet.client,
                        fromNginx.session())) {
                    assertTrue(onTicketKeeper.resumed(), "nginx's ticket did not resume on TicketKeeper: "
                            + onTicketKeeper + " " + fleet.handle.stats());
                }
            }
            try (HandshakeResult fromTicketKeeper = SocketHandshake.run(fleet.server, fleet.client, null);
                    HandshakeResult onNginx = fleet.nginx.handshake(fleet.client, fromTicketKeeper.session())) {
                assertTrue(fromTicketKeeper.hasTicket(), fromTicketKeeper::toString);
                assertTrue(onNginx.resumed(), () -> "TicketKeeper's ticket did not resume on nginx: " + onNginx
                        + "\n" + fleet.nginx.log());
            }
        }
    }

    /** 48-byte keys (AES-128, name|AES|HMAC) and nginx's rule for several files: the first seals. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void fortyEightByteKeysAndTheFirstOfSeveralFilesSeals(TlsVersion version) throws IOException {
        Path sealing = randomKeyFile("new.key", 48);
        Path older = randomKeyFile("old.key", 48);
        try (Fleet fleet = new Fleet(version, KeyFileFormat.NGINX_48, List.of(sealing, older));
                HandshakeResult fromNginx = fleet.nginx.handshake(fleet.client, null);
                HandshakeResult fromTicketKeeper = SocketHandshake.run(fleet.server, fleet.client, null)) {
            byte[] sealingName = Arrays.copyOf(Files.readAllBytes(sealing), 16);
            assertArrayEquals(sealingName, Arrays.copyOf(fromNginx.session().ticket(), 16),
                    "nginx sealed with another key than the first file's");
            assertArrayEquals(sealingName, Arrays.copyOf(fromTicketKeeper.session().ticket(), 16),
                    "TicketKeeper sealed with another key than the first file's");
            try (HandshakeResult onTicketKeeper = SocketHandshake.run(fleet.server, fleet.client, fromNginx.session());
                    HandshakeResult onNginx = fleet.nginx.handshake(fleet.client, fromTicketKeeper.session())) {
                assertTrue(onTicketKeeper.resumed(), onTicketKeeper::toString);
                assertTrue(onNginx.resumed(), () -> onNginx + "\n" + fleet.nginx.log());
            }
        }
    }

    /** Without nginx's session id context the same keys do not resume: the context is what makes it work. */
    @Test
    void aDifferentSessionIdContextDoesNotResume() throws IOException {
        Path keyFile = randomKeyFile("ticket.key", 80);
        try (Fleet fleet = new Fleet(TlsVersion.TLS1_2, KeyFileFormat.OPENSSL_80, List.of(keyFile));
                HandshakeResult fromNginx = fleet.nginx.handshake(fleet.client, null)) {
            fleet.handle.setSessionIdContext(SessionIdContext.of(new byte[] {1, 2, 3}));
            try (HandshakeResult onTicketKeeper = SocketHandshake.run(fleet.server, fleet.client,
                    fromNginx.session())) {
                assertTrue(onTicketKeeper.completed(), onTicketKeeper::toString);
                assertFalse(onTicketKeeper.resumed(), "resumed across different session id contexts");
            }
            byte[] javaDerived = fleet.handle.setSessionIdContext(
                    SessionIdContext.nginx("HTTP", List.of(certificate.der()), List.of()));
            byte[] nativeDerived = fleet.handle.setSessionIdContext(SessionIdContext.nginx());
            assertArrayEquals(nativeDerived, javaDerived);
            try (HandshakeResult onTicketKeeper = SocketHandshake.run(fleet.server, fleet.client,
                    fromNginx.session())) {
                assertTrue(onTicketKeeper.resumed(), onTicketKeeper::toString);
            }
        }
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
