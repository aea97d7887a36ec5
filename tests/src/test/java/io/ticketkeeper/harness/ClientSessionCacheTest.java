package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.session.ClientSessionCache.Peer;
import io.ticketkeeper.session.ClientSessionCache;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client's session store: sessions kept per peer, offered next time, and carried across a restart as PEM. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class ClientSessionCacheTest {
    private static final Peer PEER = new Peer("127.0.0.1", 8443, "localhost");
    private static final Peer OTHER = new Peer("127.0.0.1", 9443, "localhost");

    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("client-cache");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    /** One handshake of a client that prepares its connection with {@code cache} for {@code peer}. */
    private static HandshakeResult connect(ServerContext server, ClientContext client, ClientSessionCache cache,
            Peer peer, boolean[] offered) {
        return MemoryHandshake.runPrepared(server, client, ssl -> offered[0] = cache.prepare(ssl, peer));
    }

    /** Stateless tickets (TLS 1.2 and 1.3) and, through a server store, TLS 1.2 ids and TLS 1.3 stateful tickets. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aRestartedClientResumesFromPem(TlsVersion version, @TempDir Path directory) throws Exception {
        for (boolean stateful : new boolean[] {false, true}) {
            Path file = directory.resolve("client-" + stateful + ".pem");
            ServerContext.Builder builder = ServerContext.builder(version, certificate).tickets(!stateful);
            try (ServerContext server = builder.build();
                    TicketKeeperHandle handle = TicketKeeper.install(server.address(), stateful
                            ? TicketKeeperOptions.builder().sessionCache(
                                    SessionCacheOptions.of(SessionStore.inMemory(100))).build()
                            : TicketKeeperOptions.defaults())) {
                boolean[] offered = new boolean[1];
                try (ClientContext client = new ClientContext(version, certificate)) {
                    ClientSessionCache cache = ClientSessionCache.install(client.address());
                    try (HandshakeResult first = connect(server, client, cache, PEER, offered)) {
                        assertTrue(first.completed(), first::toString);
                        assertFalse(offered[0]);
                        assertFalse(first.resumed());
                    }
                    assertTrue(cache.session(PEER).isPresent(), "the new-session callback kept the session");
                    assertTrue(cache.session(OTHER).isEmpty());
                    try (HandshakeResult second = connect(server, client, cache, PEER, offered)) {
                        assertTrue(offered[0]);
                        assertTrue(second.resumed(), "offered the freshest session: " + second);
                    }
                    long resumedOnServer = stateful ? handle.sessionCacheStats().orElseThrow().hits()
                            : handle.stats().resumed();
                    assertEquals(1, resumedOnServer, "the server's own count of the resumption");
                    cache.exportTo(file);
                    cache.close();
                }
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                assertTrue(Files.readString(file).contains("-----BEGIN SSL SESSION PARAMETERS-----"));

                // A new process: a fresh client context and cache, fed only by the file.
                try (ClientContext restarted = new ClientContext(version, certificate)) {
                    ClientSessionCache cache = ClientSessionCache.install(restarted.address());
                    assertEquals(1, cache.importFrom(file));
                    try (HandshakeResult resumed = connect(server, restarted, cache, PEER, offered)) {
                        assertTrue(offered[0]);
                        assertTrue(resumed.resumed(), "resumed after the restart (" + version
                                + (stateful ? ", stateful" : ", ticket") + "): " + resumed);
                    }
                    try (HandshakeResult other = connect(server, restarted, cache, OTHER, offered)) {
                        assertFalse(offered[0], "no session for another peer");
                        assertFalse(other.resumed());
                    }
                    cache.close();
                }
            }
        }
    }

    @Test
    void aDamagedFileIsRefusedWithItsName(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("broken.pem");
        Files.writeString(file, "# peer 127.0.0.1 8443 localhost\n-----BEGIN SSL SESSION PARAMETERS-----\n"
                + "MAMCAQE=\n-----END SSL SESSION PARAMETERS-----\n");
        try (ClientContext client = new ClientContext(TlsVersion.TLS1_3, certificate)) {
            ClientSessionCache cache = ClientSessionCache.install(client.address());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.importFrom(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertEquals(0, cache.size());
            cache.close();
        }
        assertThrows(IllegalArgumentException.class, () -> new Peer("", 1, ""));
        assertThrows(IllegalArgumentException.class, () -> new Peer("h", 70000, ""));
    }
}
