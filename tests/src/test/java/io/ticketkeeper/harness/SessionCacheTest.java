package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ClientSession;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.session.InMemorySessionStore;
import io.ticketkeeper.session.SessionCacheMode;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;
import io.ticketkeeper.session.SessionFiles;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStore;
import io.ticketkeeper.session.SessionStores;
import io.ticketkeeper.session.TimeLimitedSessionStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server session cache behind the in-memory store, in real handshakes: TLS 1.2 ids, TLS 1.3 stateful. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class SessionCacheTest {
    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("session-cache");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    /** A server whose only way to resume is the store: tickets off, which under TLS 1.3 means stateful tickets. */
    static final class Node implements AutoCloseable {
        final ServerContext server;
        final TicketKeeperHandle handle;

        Node(TlsVersion version, SessionCacheOptions cache) {
            server = ServerContext.builder(version, certificate).tickets(false).build();
            handle = TicketKeeper.install(server.address(), TicketKeeperOptions.builder().sessionCache(cache).build());
        }

        HandshakeResult handshake(ClientContext client, ClientSession offer) {
            return MemoryHandshake.run(server, client, offer);
        }

        @Override
        public void close() {
            handle.close();
            server.close();
        }
    }

    static SelfSignedCertificate certificate() {
        return certificate;
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aSessionResumesThroughTheStore(TlsVersion version) {
        InMemorySessionStore store = InMemorySessionStore.builder().maximumSize(100).build();
        try (Node node = new Node(version, SessionCacheOptions.of(store));
                ClientContext client = new ClientContext(version, certificate);
                HandshakeResult first = node.handshake(client, null);
                HandshakeResult second = node.handshake(client, first.session())) {
            assertTrue(first.completed(), first::toString);
            assertFalse(first.resumed());
            assertTrue(second.completed(), second::toString);
            assertTrue(second.resumed(), "resumed through the store: " + second);
            SessionCacheStats stats = node.handle.sessionCacheStats().orElseThrow();
            assertTrue(stats.stored() >= 1, stats::toString);
            assertEquals(1, stats.hits(), stats::toString);
            assertEquals(0, stats.storeFailures(), stats::toString);
            assertEquals(1, store.stats().hits());
        }
    }

    /**
     * Issue 18, item 5: two virtual hosts of one handle share a store; a session id of a.test presented to b.test is
     * a miss (full handshake), counted as otherHostMisses, and still resumes on another context of a.test. TLS 1.2
     * session ids and TLS 1.3 stateful tickets. RedisSessionStoreTest runs the same with Redis.
     */
    static void aSessionResumesOnItsOwnHostOnly(TlsVersion version, SessionStore store) {
        try (ServerContext a = ServerContext.builder(version, certificate).tickets(false).build();
                ServerContext b = ServerContext.builder(version, certificate).tickets(false).build();
                ServerContext alsoA = ServerContext.builder(version, certificate).tickets(false).build();
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = TicketKeeper.install(TicketKeeperOptions.builder()
                        .sessionCache(SessionCacheOptions.of(store)).build())) {
            handle.attach(a.address(), "a.test");
            handle.attach(b.address(), "b.test");
            handle.attach(alsoA.address(), "a.test");
            try (HandshakeResult first = MemoryHandshake.run(a, client, null);
                    HandshakeResult elsewhere = MemoryHandshake.run(b, client, first.session());
                    HandshakeResult sameHost = MemoryHandshake.run(alsoA, client, first.session())) {
                assertTrue(first.completed(), first::toString);
                assertTrue(elsewhere.completed(), elsewhere::toString);
                assertFalse(elsewhere.resumed(), "a session of a.test resumed on b.test: " + elsewhere);
                assertTrue(sameHost.resumed(), "a session of a.test did not resume on another context of a.test: "
                        + sameHost);
            }
            SessionCacheStats stats = handle.sessionCacheStats().orElseThrow();
            assertEquals(1, stats.otherHostMisses(), stats::toString);
            assertEquals(1, stats.hits(), stats::toString);
            assertEquals(0, stats.storeFailures(), stats::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aSessionIdResumesOnItsOwnHostOnly(TlsVersion version) {
        aSessionResumesOnItsOwnHostOnly(version, InMemorySessionStore.builder().maximumSize(100).build());
    }

    /**
     * Issue 18, item 9: session DER holds the master secret; the arrays that carried it to and from the store are
     * wiped once used. A store that keeps references to what it was given and what it answered (which a store must
     * not do) sees only zeros after the handshakes.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void theArraysThatCarriedASessionAreWipedOnceUsed(TlsVersion version) {
        List<byte[]> handedOver = new java.util.concurrent.CopyOnWriteArrayList<>();
        InMemorySessionStore memory = InMemorySessionStore.builder().build();
        SessionStore keeping = new SessionStore() {
            @Override
            public void put(SessionId id, byte[] session, Duration ttl) {
                handedOver.add(session);
                memory.put(id, session, ttl);
            }

            @Override
            public Optional<byte[]> get(SessionId id) {
                Optional<byte[]> answer = memory.get(id);
                answer.ifPresent(handedOver::add);
                return answer;
            }

            @Override
            public void remove(SessionId id) {
                memory.remove(id);
            }
        };
        try (Node node = new Node(version, SessionCacheOptions.of(keeping));
                ClientContext client = new ClientContext(version, certificate);
                HandshakeResult first = node.handshake(client, null);
                HandshakeResult second = node.handshake(client, first.session())) {
            assertTrue(second.resumed(), second::toString);
            assertTrue(handedOver.size() >= 2, "no put and get: " + handedOver.size());
            for (byte[] array : handedOver) {
                assertTrue(java.util.Arrays.equals(array, new byte[array.length]),
                        "an array that carried a session was not wiped (" + array.length + " bytes)");
            }
        }
    }

    /** Issue 18, item 9: the store keeps its own copy and answers with one the caller may wipe. */
    @Test
    void theMemoryStoreKeepsItsOwnCopies() {
        InMemorySessionStore store = InMemorySessionStore.builder().build();
        SessionId id = SessionId.of(new byte[] {7});
        byte[] session = {0x30, 3, 1, 2, 3};
        store.put(id, session, Duration.ofSeconds(10));
        java.util.Arrays.fill(session, (byte) 0);
        byte[] answer = store.get(id).orElseThrow();
        assertEquals(0x30, answer[0], "the store kept the caller's array, which the caller wiped");
        java.util.Arrays.fill(answer, (byte) 0);
        assertEquals(0x30, store.get(id).orElseThrow()[0], "the store answered with its own array");
        assertEquals(0x30, store.take(id).orElseThrow()[0]);
        assertTrue(store.get(id).isEmpty());
    }

    @Test
    void tls13StatelessTicketsDoNotFillTheStore() {
        InMemorySessionStore store = InMemorySessionStore.builder().build();
        try (ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                TicketKeeperHandle handle = TicketKeeper.install(server.address(),
                        TicketKeeperOptions.builder().sessionCache(SessionCacheOptions.of(store)).build());
                ClientContext client = new ClientContext(TlsVersion.TLS1_3, certificate);
                HandshakeResult first = MemoryHandshake.run(server, client, null)) {
            assertTrue(first.hasTicket());
            assertEquals(0, store.size());
            assertTrue(handle.sessionCacheStats().orElseThrow().statelessSkipped() >= 1);
        }
    }

    @Test
    void singleUseSessionsResumeOnce() {
        InMemorySessionStore store = InMemorySessionStore.builder().build();
        SessionCacheOptions cache = SessionCacheOptions.builder(store).singleUse(true).build();
        try (Node node = new Node(TlsVersion.TLS1_2, cache);
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate);
                HandshakeResult first = node.handshake(client, null);
                HandshakeResult second = node.handshake(client, first.session());
                HandshakeResult replay = node.handshake(client, first.session())) {
            assertTrue(second.resumed(), second::toString);
            assertTrue(replay.completed());
            assertFalse(replay.resumed(), "the entry was taken: " + replay);
        }
    }

    @Test
    void singleUseNeedsAnAtomicTakeAndTheExternalMode() {
        SessionStore plain = new SessionStore() {
            @Override
            public void put(SessionId id, byte[] session, Duration ttl) {
            }

            @Override
            public Optional<byte[]> get(SessionId id) {
                return Optional.empty();
            }

            @Override
            public void remove(SessionId id) {
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionCacheOptions.builder(plain).singleUse(true));
        assertTrue(e.getMessage().contains("atomic take"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionCacheOptions.builder(SessionStore.inMemory(10))
                .mode(SessionCacheMode.INTERNAL_THEN_EXTERNAL).singleUse(true));
    }

    /** A store that fails on every call: handshakes complete in full, and the failures are counted. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aFailingStoreCostsOnlyResumption(TlsVersion version) {
        SessionStore broken = new SessionStore() {
            @Override
            public void put(SessionId id, byte[] session, Duration ttl) {
                throw new IllegalStateException("store down");
            }

            @Override
            public Optional<byte[]> get(SessionId id) {
                throw new IllegalStateException("store down");
            }

            @Override
            public void remove(SessionId id) {
                throw new IllegalStateException("store down");
            }
        };
        try (Node node = new Node(version, SessionCacheOptions.of(broken));
                ClientContext client = new ClientContext(version, certificate);
                HandshakeResult first = node.handshake(client, null);
                HandshakeResult second = node.handshake(client, first.session())) {
            assertTrue(second.completed(), second::toString);
            assertFalse(second.resumed());
            SessionCacheStats stats = node.handle.sessionCacheStats().orElseThrow();
            assertTrue(stats.storeFailures() >= 2, stats::toString);
            assertEquals(1, stats.misses(), stats::toString);
        }
    }

    /** A store that hangs: bounded by the wrapper's timeout, the handshake completes in full, counted. */
    @Test
    void aHangingStoreCostsAtMostItsTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        InMemorySessionStore memory = InMemorySessionStore.builder().build();
        SessionStore hanging = new SessionStore() {
            @Override
            public void put(SessionId id, byte[] session, Duration ttl) {
                memory.put(id, session, ttl);
            }

            @Override
            public Optional<byte[]> get(SessionId id) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return memory.get(id);
            }

            @Override
            public void remove(SessionId id) {
                memory.remove(id);
            }
        };
        try (TimeLimitedSessionStore bounded = TimeLimitedSessionStore.of(hanging, Duration.ofMillis(200), 1, 1);
                Node node = new Node(TlsVersion.TLS1_2, SessionCacheOptions.of(bounded));
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate);
                HandshakeResult first = node.handshake(client, null);
                HandshakeResult second = node.handshake(client, first.session())) {
            assertTrue(second.completed(), second::toString);
            assertFalse(second.resumed(), "the lookup timed out: " + second);
            assertEquals(1, bounded.stats().timeouts(), bounded.stats()::toString);
            release.countDown();
            try (HandshakeResult third = node.handshake(client, first.session())) {
                assertTrue(third.resumed(), "the store answers again: " + third);
            }
        }
    }

    /** Garbage from a store is a miss, counted by the shim, never a crash. */
    @Test
    void garbageFromTheStoreIsAMiss() {
        InMemorySessionStore store = InMemorySessionStore.builder().build();
        try (Node node = new Node(TlsVersion.TLS1_2, SessionCacheOptions.of(store));
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate);
                HandshakeResult first = node.handshake(client, null)) {
            SessionId id = SessionId.of(first.session().id());
            byte[] garbage = {0x30, 0x03, 0x02, 0x01, 0x01};
            store.put(id, garbage, Duration.ofMinutes(1));
            try (HandshakeResult second = node.handshake(client, first.session())) {
                assertTrue(second.completed(), second::toString);
                assertFalse(second.resumed());
                assertEquals(1, node.handle.sessionCacheStats().orElseThrow().otherHostMisses(),
                        "an entry without the host it belongs to is a miss before the shim sees it");
            }
            // The same garbage behind the unnamed host's header reaches the shim, which refuses to parse it.
            long unnamed = new io.ticketkeeper.internal.HostScopes(List.of())
                    .idOf(io.ticketkeeper.internal.HostScopes.UNNAMED);
            java.nio.ByteBuffer entry = java.nio.ByteBuffer.allocate(9 + garbage.length);
            entry.put((byte) 1).putLong(unnamed).put(garbage);
            store.put(id, entry.array(), Duration.ofMinutes(1));
            try (HandshakeResult third = node.handshake(client, first.session())) {
                assertTrue(third.completed(), third::toString);
                assertFalse(third.resumed());
                assertEquals(1, node.handle.sessionCacheStats().orElseThrow().badSessions());
            }
        }
    }

    @Test
    void theInternalCacheServesInFrontOfTheStore() {
        InMemorySessionStore store = InMemorySessionStore.builder().build();
        SessionCacheOptions cache = SessionCacheOptions.builder(store).mode(SessionCacheMode.INTERNAL_THEN_EXTERNAL)
                .build();
        try (Node node = new Node(TlsVersion.TLS1_2, cache);
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate);
                HandshakeResult first = node.handshake(client, null);
                HandshakeResult second = node.handshake(client, first.session())) {
            assertTrue(second.resumed(), second::toString);
            assertEquals(0, node.handle.sessionCacheStats().orElseThrow().lookups(), "served by OpenSSL's internal cache");
            assertEquals(1, store.size());
        }
    }

    /** Node A's sessions, persisted as PEM, warm node B's internal cache at its start. */
    @Test
    void aWarmStartResumesPersistedSessions(@TempDir Path directory) {
        InMemorySessionStore storeA = InMemorySessionStore.builder().build();
        Path file = directory.resolve("sessions.pem");
        try (Node a = new Node(TlsVersion.TLS1_2, SessionCacheOptions.of(storeA));
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate);
                HandshakeResult first = a.handshake(client, null)) {
            SessionFiles.write(file, storeA.sessions().stream()
                    .map(session -> new SessionFiles.LabeledSession("node a", session)).toList());
            try (ServerContext b = ServerContext.builder(TlsVersion.TLS1_2, certificate).tickets(false)
                    .sessionCache(true).build();
                    TicketKeeperHandle handleB = TicketKeeper.install(b.address())) {
                try (HandshakeResult cold = MemoryHandshake.run(b, client, first.session())) {
                    assertFalse(cold.resumed(), "B knows nothing yet");
                }
                List<SessionFiles.LabeledSession> persisted = SessionFiles.read(file);
                assertEquals(1, persisted.size());
                assertEquals(1, handleB.warmStart(persisted.stream().map(SessionFiles.LabeledSession::session)
                        .toList()));
                try (HandshakeResult warm = MemoryHandshake.run(b, client, first.session())) {
                    assertTrue(warm.resumed(), "B resumes A's session after the warm start: " + warm);
                }
                IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                        () -> handleB.warmStart(List.of(new byte[] {1, 2, 3})));
                assertTrue(bad.getMessage().contains("session #0"), bad.getMessage());
            }
        }
    }

    @Test
    void storesComeFromSpecs() {
        assertTrue(SessionStores.fromSpec("none", List.of()).isEmpty());
        assertTrue(SessionStores.fromSpec("memory:10", List.of()).orElseThrow() instanceof InMemorySessionStore);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SessionStores.fromSpec("memcache://x", List.of()));
        assertTrue(unknown.getMessage().contains("memcache://x"), unknown.getMessage());
        IllegalArgumentException noKeys = assertThrows(IllegalArgumentException.class,
                () -> SessionStores.fromSpec("redis://127.0.0.1:1", List.of()));
        assertTrue(noKeys.getMessage().contains("sealing key"), noKeys.getMessage());
    }

    /** Entries expire after their own TTL by the store's clock, and the eviction is counted. */
    @Test
    void inMemoryEntriesExpireByTheirTtl() {
        ManualClock clock = new ManualClock();
        InMemorySessionStore store = InMemorySessionStore.builder().clock(clock).maximumSize(2).build();
        SessionId a = SessionId.of(new byte[] {1});
        store.put(a, new byte[] {1}, Duration.ofSeconds(10));
        assertTrue(store.get(a).isPresent());
        clock.advance(Duration.ofSeconds(11));
        assertTrue(store.get(a).isEmpty());
        for (int i = 0; i < 5; i++) {
            store.put(SessionId.of(new byte[] {2, (byte) i}), new byte[] {1}, Duration.ofSeconds(10));
        }
        assertTrue(store.size() <= 2);
        assertTrue(store.stats().evictions() >= 3, store.stats()::toString);
        assertEquals(1, store.stats().hits());
    }

    @Test
    void aDamagedSessionFileIsNamed(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("bad.pem");
        Files.writeString(file, "# x\n-----BEGIN SSL SESSION PARAMETERS-----\nAAAA\n"
                + "-----END SSL SESSION PARAMETERS-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SessionFiles.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 4"), e.getMessage());
        assertNotNull(e.getCause());
    }
}
