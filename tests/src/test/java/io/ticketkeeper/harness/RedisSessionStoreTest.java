package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.OpenSslCalls;
import io.ticketkeeper.endpoints.TlsVersion;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStoreStats;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sealed Redis store against a real redis-server, in real handshakes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisSessionStoreTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final SealingKey KEY_1 = SealingKey.generate("k1");
    private static final SealingKey KEY_2 = SealingKey.generate("k2");

    private static RedisServer redis;
    private static RedisClient rawClient;
    private static StatefulRedisConnection<byte[], byte[]> raw;

    @BeforeAll
    static void startRedis() throws Exception {
        SessionCacheTest.makeCertificate();
        redis = RedisServer.start();
        rawClient = RedisClient.create(redis.uri());
        raw = rawClient.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        raw.close();
        rawClient.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
        SessionCacheTest.freeCertificate();
    }

    private static RedisSessionStore store(List<SealingKey> keys) {
        return RedisSessionStore.builder(redis.uri(), keys).timeout(TIMEOUT).build();
    }

    private static SessionCacheTest.Node node(TlsVersion version, RedisSessionStore store) {
        return new SessionCacheTest.Node(version, SessionCacheOptions.of(store));
    }

    /** A session made on node A resumes on node B: two SSL_CTXs with their own handles, one Redis. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aSessionFromNodeAResumesOnNodeB(TlsVersion version) {
        try (RedisSessionStore storeA = store(List.of(KEY_1));
                RedisSessionStore storeB = store(List.of(KEY_1));
                SessionCacheTest.Node a = node(version, storeA);
                SessionCacheTest.Node b = node(version, storeB);
                ClientContext client = new ClientContext(version, SessionCacheTest.certificate());
                HandshakeResult first = a.handshake(client, null);
                HandshakeResult onA = a.handshake(client, first.session());
                HandshakeResult onB = b.handshake(client, first.session())) {
            assertTrue(first.completed(), first::toString);
            assertTrue(onA.resumed(), "resumed on A through Redis: " + onA);
            if (version == TlsVersion.TLS1_3) {
                // OpenSSL drops a TLS 1.3 stateful session once used; B resumes the ticket A issued on resumption.
                try (HandshakeResult again = b.handshake(client, onA.session())) {
                    assertTrue(again.resumed(), "A's fresh ticket resumed on B: " + again);
                }
            } else {
                assertTrue(onB.resumed(), "A's session resumed on B: " + onB);
            }
            assertTrue(storeB.stats().hits() >= 1, storeB.stats()::toString);
            assertEquals(0, storeB.stats().rejected());
        }
    }

    /** Issue 18, item 5: two hosts of one handle share one Redis: a session id resumes on its own host only. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aSessionIdResumesOnItsOwnHostOnly(TlsVersion version) {
        try (RedisSessionStore store = store(List.of(KEY_1))) {
            SessionCacheTest.aSessionResumesOnItsOwnHostOnly(version, store);
        }
    }

    /**
     * Issue 18, item 11: a sealing key past its budget of 2^32 seals (counted from near it) stores nothing more:
     * the handshake completes, the put is a counted store failure, nothing reaches Redis.
     */
    @Test
    void aSealingKeyPastItsBudgetStoresNothing() throws Exception {
        SealingKey spent = SealingKey.generate("spent");
        SealingBudgetTest.sealsSoFar(spent, SealingKey.SEAL_BUDGET);
        try (RedisSessionStore store = store(List.of(spent));
                SessionCacheTest.Node node = node(TlsVersion.TLS1_2, store);
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, SessionCacheTest.certificate());
                HandshakeResult first = node.handshake(client, null);
                HandshakeResult second = node.handshake(client, first.session())) {
            assertTrue(first.completed() && second.completed(), second::toString);
            assertFalse(second.resumed(), "a session sealed past the budget: " + second);
            assertNull(raw.sync().get(store.redisKey(SessionId.of(first.session().id()))));
            SessionCacheStats stats = node.handle.sessionCacheStats().orElseThrow();
            assertTrue(stats.storeFailures() >= 1, stats::toString);
            assertEquals(0, stats.stored(), stats::toString);
        }
    }

    /** The entry in Redis is sealed: no DER in the clear, and a flipped byte makes it a refused miss. */
    @Test
    void aTamperedEntryIsRefused() {
        try (RedisSessionStore store = store(List.of(KEY_1));
                SessionCacheTest.Node node = node(TlsVersion.TLS1_2, store);
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, SessionCacheTest.certificate());
                HandshakeResult first = node.handshake(client, null)) {
            SessionId id = SessionId.of(first.session().id());
            byte[] key = store.redisKey(id);
            byte[] entry = raw.sync().get(key);
            assertNotNull(entry, "the session is in Redis");
            assertEquals(1, entry[0], "entry version");
            entry[entry.length - 20] ^= 0x01;
            raw.sync().set(key, entry);

            try (HandshakeResult second = node.handshake(client, first.session())) {
                assertTrue(second.completed(), second::toString);
                assertFalse(second.resumed(), "a tampered entry must not resume: " + second);
            }
            assertEquals(1, store.stats().rejected(), store.stats()::toString);
        }
    }

    /** An entry copied under another session's id does not open: the id is bound as additional data. */
    @Test
    void anEntryMovedToAnotherIdIsRefused() {
        try (RedisSessionStore store = store(List.of(KEY_1))) {
            SessionId a = SessionId.of(new byte[] {1, 2, 3});
            SessionId b = SessionId.of(new byte[] {4, 5, 6});
            store.put(a, new byte[] {9, 9, 9}, Duration.ofMinutes(1));
            raw.sync().set(store.redisKey(b), raw.sync().get(store.redisKey(a)));
            assertTrue(store.get(b).isEmpty());
            assertEquals(1, store.stats().rejected());
            assertEquals(3, store.get(a).orElseThrow().length);
        }
    }

    /** Rotation: a node sealing with k2 still opens k1's entries; a node that knows only k2 refuses them. */
    @Test
    void sealingKeysRotate() {
        SessionId id = SessionId.of(new byte[] {7, 7, 7, 7});
        try (RedisSessionStore old = store(List.of(KEY_1));
                RedisSessionStore rotated = store(List.of(KEY_2, KEY_1));
                RedisSessionStore foreign = store(List.of(KEY_2))) {
            old.put(id, new byte[] {1, 2}, Duration.ofMinutes(1));
            assertTrue(rotated.get(id).isPresent());
            assertTrue(foreign.get(id).isEmpty());
            assertEquals(1, foreign.stats().rejected());
            rotated.put(id, new byte[] {3, 4}, Duration.ofMinutes(1));
            assertTrue(old.get(id).isEmpty(), "k1 alone cannot open k2's entry");
            assertTrue(foreign.get(id).isPresent());
        }
    }

    @Test
    void entriesLiveAsLongAsTheirSession() {
        try (RedisSessionStore store = store(List.of(KEY_1));
                SessionCacheTest.Node node = node(TlsVersion.TLS1_2, store);
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, SessionCacheTest.certificate());
                HandshakeResult first = node.handshake(client, null)) {
            long ttl = raw.sync().ttl(store.redisKey(SessionId.of(first.session().id())));
            long lifetime = OpenSslCalls.SSL.SSL_CTX_get_timeout(node.server.address());
            assertTrue(ttl > lifetime - 60 && ttl <= lifetime, "TTL " + ttl + " for a session lifetime of " + lifetime);
        }
    }

    /** Single use with GETDEL: a TLS 1.3 stateful ticket resumes once, on whichever node sees it first. */
    @Test
    void singleUseTakesTheEntryAtomically() {
        try (RedisSessionStore storeA = store(List.of(KEY_1));
                RedisSessionStore storeB = store(List.of(KEY_1));
                SessionCacheTest.Node a = new SessionCacheTest.Node(TlsVersion.TLS1_3,
                        SessionCacheOptions.builder(storeA).singleUse(true).build());
                SessionCacheTest.Node b = new SessionCacheTest.Node(TlsVersion.TLS1_3,
                        SessionCacheOptions.builder(storeB).singleUse(true).build());
                ClientContext client = new ClientContext(TlsVersion.TLS1_3, SessionCacheTest.certificate());
                HandshakeResult first = a.handshake(client, null);
                HandshakeResult onB = b.handshake(client, first.session());
                HandshakeResult replayOnA = a.handshake(client, first.session())) {
            assertTrue(onB.resumed(), onB::toString);
            assertTrue(replayOnA.completed());
            assertFalse(replayOnA.resumed(), "the replayed ticket was taken by B: " + replayOnA);
        }
    }

    /** Redis killed mid-run: every handshake still completes (in full), nothing hangs, and it is counted. */
    @Test
    void handshakesCompleteWhenRedisDies() throws Exception {
        RedisServer doomed = RedisServer.start();
        try (RedisSessionStore store = RedisSessionStore.builder(doomed.uri(), List.of(KEY_1))
                        .timeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build();
                SessionCacheTest.Node node = node(TlsVersion.TLS1_2, store);
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, SessionCacheTest.certificate());
                HandshakeResult first = node.handshake(client, null);
                HandshakeResult resumed = node.handshake(client, first.session())) {
            assertTrue(resumed.resumed(), resumed::toString);
            doomed.kill();
            for (int i = 0; i < 5; i++) {
                try (HandshakeResult after = node.handshake(client, first.session())) {
                    assertTrue(after.completed(), after::toString);
                    assertFalse(after.resumed(), after::toString);
                }
            }
            SessionStoreStats stats = store.stats();
            assertTrue(stats.failures() + stats.timeouts() >= 5, stats::toString);
            SessionCacheStats cache = node.handle.sessionCacheStats().orElseThrow();
            assertEquals(5, cache.misses(), cache::toString);
        } finally {
            doomed.close();
        }
    }

    /** A stalled Redis (the process stopped): each lookup costs the timeout, then a full handshake, counted. */
    @Test
    void aStalledRedisCostsOnlyTheTimeout() throws Exception {
        RedisServer stalled = RedisServer.start();
        try (RedisSessionStore store = RedisSessionStore.builder(stalled.uri(), List.of(KEY_1))
                        .timeout(Duration.ofMillis(300)).build();
                SessionCacheTest.Node node = node(TlsVersion.TLS1_2, store);
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, SessionCacheTest.certificate());
                HandshakeResult first = node.handshake(client, null)) {
            stalled.pause();
            try (HandshakeResult during = node.handshake(client, first.session())) {
                assertTrue(during.completed(), during::toString);
                assertFalse(during.resumed(), during::toString);
            } finally {
                stalled.resume();
            }
            assertTrue(store.stats().timeouts() >= 1, store.stats()::toString);
            try (HandshakeResult after = node.handshake(client, first.session())) {
                assertTrue(after.resumed(), "Redis answers again: " + after);
            }
        } finally {
            stalled.close();
        }
    }

    @Test
    void aStoreWithoutKeysOrServerSaysWhy() throws Exception {
        IllegalArgumentException noKeys = assertThrows(IllegalArgumentException.class,
                () -> RedisSessionStore.builder(redis.uri(), List.of()));
        assertTrue(noKeys.getMessage().contains("sealing key"), noKeys.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RedisSessionStore.builder(redis.uri(), List.of(KEY_1, SealingKey.generate("k1"))));
        assertThrows(IllegalArgumentException.class, () -> SealingKey.of("k", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> SealingKey.of("k", new byte[16]));
        RedisServer gone = RedisServer.start();
        String uri = gone.uri();
        gone.close();
        IllegalStateException down = assertThrows(IllegalStateException.class,
                () -> RedisSessionStore.builder(uri, List.of(KEY_1)).connectTimeout(Duration.ofMillis(500)).build());
        assertTrue(down.getMessage().contains("127.0.0.1:" + gone.port()), down.getMessage());
        assertFalse(SealingKey.generate("visible").toString().length() > 30, "the secret is never printed");
    }
}
