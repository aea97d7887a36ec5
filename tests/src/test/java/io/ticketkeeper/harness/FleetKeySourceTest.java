package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.TlsVersion;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.KeyState;
import io.ticketkeeper.KeyStats;
import io.ticketkeeper.ScheduledKey;
import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.jmx.TicketKeeperJmx;
import io.ticketkeeper.micrometer.TicketKeeperMeterBinder;
import io.ticketkeeper.session.redis.SealingKey;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fleet key source against a real redis-server, with real handshakes (memory BIO pairs) on servers in this
 * JVM and a manual clock: one key per period whoever makes it, staging, tickets resuming across servers, Redis
 * killed, stalled and restarted empty, refused entries, a wrong wrapping key, another schedule, a rotating wrapping
 * key, and the counters in the stats, Micrometer and JMX. The serve processes of the cli tests prove the same
 * with real time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetKeySourceTest extends FleetFixture {
    private static final String PREFIX = "ticketkeeper:fleet:";
    private static final SealingKey W2 = SealingKey.generate("w2");

    private RedisServer redis;
    private RedisClient rawClient;
    private StatefulRedisConnection<byte[], byte[]> raw;
    private ManualClock clock;
    private long firstPeriod;

    /** A fresh Redis (closed last, after what the test opened on it), and a clock 1 s into the next period. */
    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
        connectRaw();
        // Closes the Redis of the moment: a test may restart it.
        closing.add(() -> {
            raw.close();
            rawClient.shutdown(0, 1, TimeUnit.SECONDS);
            redis.close();
        });
        clock = nextPeriodClock();
        firstPeriod = clock.millis() / PERIOD.toMillis();
    }

    private void connectRaw() {
        rawClient = RedisClient.create(redis.uri());
        raw = rawClient.connect(ByteArrayCodec.INSTANCE);
    }

    private FleetKeySource.Builder source(List<SealingKey> wrappingKeys) {
        return source(redis.uri(), wrappingKeys, clock).timeout(Duration.ofMillis(300));
    }

    private FleetNode node(FleetKeySource.Builder source, TlsVersion version) {
        return node(source, clock, version);
    }

    private FleetNode node(TlsVersion version) {
        return node(source(List.of(W1)), version);
    }

    private RedisCommands<byte[], byte[]> raw() {
        return raw.sync();
    }

    private static byte[] name(long period) {
        return (PREFIX + "key:" + period).getBytes(StandardCharsets.UTF_8);
    }

    /** Every entry and the fleet hash, as Redis holds them. */
    private Map<String, byte[]> entries() {
        Map<String, byte[]> entries = new HashMap<>();
        for (byte[] key : raw().keys(PREFIX + "key:*")) {
            entries.put(new String(key, StandardCharsets.UTF_8), raw().get(key));
        }
        return entries;
    }

    private void advance(Duration duration, FleetNode... nodes) {
        clock.advance(duration);
        for (FleetNode node : nodes) {
            node.sync();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void threeServersHoldOneKeyPerPeriodAndOpenEachOthersTickets(TlsVersion version) {
        FleetNode a = node(version);
        FleetNode b = node(version);
        FleetNode c = node(version);
        ClientContext client = client(version);
        assertEquals(3, entries().size(), "the current period and two ahead: " + entries().keySet());
        assertEquals(a.keyNames(), b.keyNames());
        assertEquals(a.keyNames(), c.keyNames());
        assertEquals(3, b.count(KeyEvent.Type.FETCHED), b.events::toString);
        assertEquals(0, a.count(KeyEvent.Type.FETCHED), "the first server made the keys: " + a.events);

        assertStagedAPeriodAhead(a);
        try (HandshakeResult sealed = MemoryHandshake.run(a.context, client, null)) {
            assertEquals(a.sealingName(clock.millis()), FleetNode.sealedBy(sealed));
            for (FleetNode other : List.of(b, c)) {
                try (HandshakeResult resumed = MemoryHandshake.run(other.context, client, sealed.session())) {
                    assertTrue(resumed.resumed(), "a ticket sealed by one server did not resume on another");
                }
            }
            advance(PERIOD, a, b, c);
            assertEquals(4, entries().size(), entries().keySet()::toString);
            assertStagedAPeriodAhead(c);
            assertEquals(a.keyNames(), c.keyNames());
            try (HandshakeResult afterRotation = MemoryHandshake.run(c.context, client, sealed.session());
                    HandshakeResult fresh = MemoryHandshake.run(b.context, client, null)) {
                assertTrue(afterRotation.resumed(), "a ticket sealed before a rotation did not resume after it");
                assertNotEquals(FleetNode.sealedBy(sealed), FleetNode.sealedBy(fresh), "no rotation");
                assertEquals(c.sealingName(clock.millis()), FleetNode.sealedBy(fresh));
            }
        }
    }

    /** The next key and the one after are staged; the newest, made two periods ahead, a full period or more. */
    private void assertStagedAPeriodAhead(FleetNode node) {
        List<KeyStats> keys = node.handle.keyStats();
        assertEquals(KeyState.STAGED, keys.get(0).state(), keys::toString);
        assertEquals(KeyState.STAGED, keys.get(1).state(), keys::toString);
        assertTrue(Duration.between(clock.instant(), keys.get(0).notBefore()).compareTo(PERIOD) >= 0,
                "staged less than a period ahead: " + keys.get(0));
    }

    @Test
    void serversStartingTogetherMakeExactlyOneKeyPerPeriod() throws Exception {
        int servers = 4;
        CyclicBarrier start = new CyclicBarrier(servers);
        List<CompletableFuture<FleetKeySource>> built = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(servers);
        closing.add(threads::shutdownNow);
        for (int i = 0; i < servers; i++) {
            built.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return source(List.of(W1)).build();
            }, threads));
        }
        List<List<ScheduledKey>> views = new ArrayList<>();
        for (CompletableFuture<FleetKeySource> future : built) {
            FleetKeySource source = future.get(30, TimeUnit.SECONDS);
            closing.add(source);
            source.sync();
            views.add(source.refresh(clock.millis(), List.of()));
        }
        assertEquals(3, entries().size(), entries().keySet()::toString);
        List<String> first = names(views.get(0));
        assertEquals(3, first.size());
        for (List<ScheduledKey> view : views) {
            assertEquals(first, names(view), "two servers hold different keys");
        }
    }

    private static List<String> names(List<ScheduledKey> keys) {
        return keys.stream().map(key -> java.util.HexFormat.of().formatHex(key.key().name())).sorted().toList();
    }

    @Test
    void aRedisRestartedEmptyGetsTheLiveKeysBackAndNothingIsOverwritten() throws Exception {
        FleetNode a = node(TlsVersion.TLS1_3);
        FleetNode b = node(TlsVersion.TLS1_3);
        advance(PERIOD, a, b);
        long fetchedByB = b.count(KeyEvent.Type.FETCHED);
        Map<String, byte[]> before = entries();
        assertEquals(4, before.size());
        List<String> keys = a.keyNames();

        redis = redis.restart();
        raw.close();
        rawClient.shutdown(0, 1, TimeUnit.SECONDS);
        connectRaw();
        // Another server got there first for the newest period: what it wrote stays.
        long newest = firstPeriod + 3;
        raw().set(name(newest), "written by another server".getBytes(StandardCharsets.US_ASCII));

        a.sync();
        assertEquals(KeySourceHealth.State.UP, a.source.health().state());
        Map<String, byte[]> after = entries();
        assertEquals(before.keySet(), after.keySet());
        for (String key : before.keySet()) {
            if (!key.endsWith(":" + newest)) {
                assertArrayEquals(before.get(key), after.get(key), key + " was not written back as it was");
            }
        }
        assertArrayEquals("written by another server".getBytes(StandardCharsets.US_ASCII),
                raw().get(name(newest)), "a server overwrote an entry another had written");
        assertEquals(1, a.count(KeyEvent.Type.REFUSED), a.events::toString);
        b.sync();
        assertEquals(keys, a.keyNames(), "the keys in force changed");
        assertEquals(keys, b.keyNames());
        assertEquals(fetchedByB, b.count(KeyEvent.Type.FETCHED), "the written-back keys are news to b");
        assertTrue(raw().hexists((PREFIX + "fleet").getBytes(StandardCharsets.UTF_8),
                "wrap:w1".getBytes(StandardCharsets.UTF_8)), "the fleet's check value was not written back");
    }

    @Test
    void withRedisDownStagedKeysSealOnScheduleThenTheNewestUntilItsTicketsCanLiveTheirAge() throws Exception {
        FleetNode a = node(TlsVersion.TLS1_2);
        FleetNode b = node(TlsVersion.TLS1_2);
        ClientContext client = client(TlsVersion.TLS1_2);
        List<String> keys = a.keyNames();
        redis.kill();
        a.sync();
        b.sync();
        assertEquals(KeySourceHealth.State.DOWN, a.source.health().state());
        assertEquals(1, a.count(KeyEvent.Type.SOURCE_DOWN), a.events::toString);
        assertEquals(keys, a.keyNames(), "the keys in force changed with Redis down");

        // The staged keys seal on schedule: periods +1 and +2.
        for (int step = 1; step <= 2; step++) {
            advance(PERIOD, a, b);
            try (HandshakeResult sealed = MemoryHandshake.run(a.context, client, null);
                    HandshakeResult resumed = MemoryHandshake.run(b.context, client, sealed.session())) {
                assertEquals(keys.get(2 - step), FleetNode.sealedBy(sealed), "period +" + step);
                assertTrue(resumed.resumed());
            }
        }
        // No next key: the newest seals on for one more period (outage sealing), its tickets resuming fleet-wide.
        advance(PERIOD.minusSeconds(1).plusSeconds(5), a, b);
        HandshakeResult late = MemoryHandshake.run(a.context, client, null);
        closing.add(late);
        assertEquals(keys.get(0), FleetNode.sealedBy(late), "the newest key stopped sealing at once");
        advance(PERIOD.minusSeconds(5), a, b);
        long unsealedBefore = a.handle.stats().unsealed();
        try (HandshakeResult none = MemoryHandshake.run(a.context, client, null)) {
            assertTrue(none.completed());
            assertFalse(none.hasTicket(), "a ticket was sealed that not every server could open for its age");
        }
        assertEquals(unsealedBefore + 1, a.handle.stats().unsealed());
        try (HandshakeResult resumed = MemoryHandshake.run(b.context, client, late.session())) {
            assertTrue(resumed.resumed(), "a ticket sealed during the outage did not resume on another server");
        }

        // Redis comes back empty: the keys are written back, the current period's key is made and seals at once.
        redis = redis.restart();
        raw.close();
        rawClient.shutdown(0, 1, TimeUnit.SECONDS);
        connectRaw();
        a.sync();
        b.sync();
        assertEquals(1, a.count(KeyEvent.Type.SOURCE_UP), a.events::toString);
        assertEquals(KeySourceHealth.State.UP, b.source.health().state());
        assertTrue(raw().exists(name(firstPeriod + 2)) == 1, "the live keys were not written back");
        assertEquals(a.sealingName(clock.millis()), b.sealingName(clock.millis()));
        try (HandshakeResult sealed = MemoryHandshake.run(a.context, client, null);
                HandshakeResult resumed = MemoryHandshake.run(b.context, client, sealed.session())) {
            assertTrue(sealed.hasTicket(), "still no ticket after Redis came back");
            assertTrue(resumed.resumed());
        }
    }

    @Test
    void aStalledRedisHoldsUpItsOwnThreadOnly() throws Exception {
        FleetNode a = node(source(List.of(W1)).timeout(Duration.ofSeconds(3)), TlsVersion.TLS1_3);
        ClientContext client = client(TlsVersion.TLS1_3);
        redis.pause();
        try {
            CompletableFuture<KeySourceHealth> stalled = CompletableFuture.supplyAsync(a.source::sync);
            for (int i = 0; i < 5; i++) {
                try (HandshakeResult sealed = MemoryHandshake.run(a.context, client, null)) {
                    assertTrue(sealed.hasTicket());
                }
                a.handle.refreshKeys();
            }
            assertFalse(stalled.isDone(), "the sync did not wait for the stalled Redis: nothing was proven");
            assertEquals(KeySourceHealth.State.DOWN, stalled.get(10, TimeUnit.SECONDS).state());
        } finally {
            redis.resume();
        }
        a.sync();
        assertEquals(KeySourceHealth.State.UP, a.source.health().state());
    }

    @Test
    void aServerWithTheWrongWrappingKeyRefusesEveryEntryAndWritesNothing() throws Exception {
        FleetNode a = node(TlsVersion.TLS1_2);
        Map<String, byte[]> before = entries();
        FleetNode sameId = node(source(List.of(SealingKey.generate("w1"))), TlsVersion.TLS1_2);
        FleetNode otherId = node(source(List.of(SealingKey.generate("w9"))), TlsVersion.TLS1_2);
        for (FleetNode wrong : List.of(sameId, otherId)) {
            wrong.sync();
            assertEquals(List.of(), wrong.keyNames(), "an entry reached the ring");
            assertEquals(3, wrong.handle.keyRingStats().refused(), wrong.events::toString);
            assertTrue(wrong.source.health().detail().contains("reads only"), wrong.source.health().detail());
        }
        assertTrue(sameId.events.stream().anyMatch(e -> e.type() == KeyEvent.Type.REFUSED
                && e.key().startsWith(PREFIX + "key:") && e.detail().contains("does not authenticate")),
                sameId.events::toString);
        assertTrue(otherId.events.stream().anyMatch(e -> e.detail().contains("unknown key 'w1'")),
                otherId.events::toString);
        advance(PERIOD, sameId, otherId);
        Map<String, byte[]> after = entries();
        assertEquals(before.keySet(), after.keySet(), "a server with the wrong key made a key");
        a.sync();
        assertEquals(4, entries().size());
        assertEquals(0, a.handle.keyRingStats().refused());
        ClientContext client = client(TlsVersion.TLS1_2);
        try (HandshakeResult sealed = MemoryHandshake.run(otherId.context, client, null)) {
            assertFalse(sealed.hasTicket(), "a server without keys sealed a ticket");
        }
    }

    @Test
    void aTamperedTruncatedOrForeignEntryIsRefusedOnceAndNeverUsed() throws Exception {
        FleetNode a = node(TlsVersion.TLS1_2);
        byte[] entry = raw().get(name(firstPeriod + 2));
        entry[entry.length - 1] ^= 1;
        raw().set(name(firstPeriod + 2), entry);
        raw().set(name(firstPeriod + 3), new byte[] {7, 1, 'w'});
        FleetNode b = node(TlsVersion.TLS1_2);
        assertEquals(2, b.keyNames().size(), "a tampered entry reached the ring");
        assertEquals(1, b.handle.keyRingStats().refused(), b.events::toString);
        KeyEvent refused = b.events.stream().filter(e -> e.type() == KeyEvent.Type.REFUSED).findFirst().orElseThrow();
        assertEquals(PREFIX + "key:" + (firstPeriod + 2), refused.key());
        assertTrue(refused.detail().contains("does not authenticate"), refused.detail());
        b.sync();
        b.sync();
        assertEquals(1, b.handle.keyRingStats().refused(), "the same entry was refused twice: " + b.events);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new TicketKeeperMeterBinder(b.handle).bindTo(registry);
        advance(PERIOD, b);
        assertEquals(2.0, registry.get("ticketkeeper.key.events").tag("type", "refused").functionCounter().count());
        assertTrue(b.events.stream().anyMatch(e -> e.detail().contains("unknown format version 7")),
                b.events::toString);
        assertEquals(1.0, registry.get("ticketkeeper.key.source.up").gauge().value());
        assertEquals(2.0, registry.get("ticketkeeper.key.events").tag("type", "fetched").functionCounter().count());
        assertEquals(3, a.keyNames().size(), "the server that made the key keeps it: only the entry was tampered");

        ObjectName jmx = TicketKeeperJmx.register(b.handle, "fleet-test");
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            assertEquals(2L, server.getAttribute(jmx, "KeysRefused"));
            assertEquals("UP", server.getAttribute(jmx, "KeySourceState"));
            redis.kill();
            b.sync();
            assertEquals("DOWN", server.getAttribute(jmx, "KeySourceState"));
            assertEquals(0.0, registry.get("ticketkeeper.key.source.up").gauge().value());
            assertTrue(((Long) server.getAttribute(jmx, "KeySourceFailures")) >= 1);
        } finally {
            TicketKeeperJmx.unregister(jmx);
        }
    }

    @Test
    void aPeriodWithoutAUsableKeyIsBridgedByTheKeyBeforeIt() {
        FleetNode a = node(TlsVersion.TLS1_3);
        raw().set(name(firstPeriod + 3), "not a key".getBytes(StandardCharsets.US_ASCII));
        FleetNode b = node(TlsVersion.TLS1_3);
        ClientContext client = client(TlsVersion.TLS1_3);
        advance(PERIOD.multipliedBy(2), a, b);
        advance(PERIOD, a, b);
        String periodTwo = a.sealingName(clock.millis() - PERIOD.toMillis());
        assertEquals(periodTwo, a.sealingName(clock.millis()), "the key before the gap stopped sealing");
        assertEquals(periodTwo, b.sealingName(clock.millis()));
        try (HandshakeResult sealed = MemoryHandshake.run(a.context, client, null);
                HandshakeResult resumed = MemoryHandshake.run(b.context, client, sealed.session())) {
            assertEquals(periodTwo, FleetNode.sealedBy(sealed));
            assertTrue(resumed.resumed());
        }
        advance(PERIOD, a, b);
        assertNotEquals(periodTwo, a.sealingName(clock.millis()), "the key after the gap did not take over");
        assertEquals(a.sealingName(clock.millis()), b.sealingName(clock.millis()));
    }

    @Test
    void aServerOnAnotherScheduleReadsOnlyAndWritesNothing() {
        FleetNode a = node(TlsVersion.TLS1_2);
        FleetNode other = node(source(List.of(W1)).rotateEvery(PERIOD.multipliedBy(2)), TlsVersion.TLS1_2);
        assertTrue(other.source.health().detail().contains("rotates on"), other.source.health().detail());
        advance(PERIOD.multipliedBy(2), other);
        assertEquals(List.of(), other.keyNames());
        assertEquals(3, entries().size(), "a server on another schedule made keys: " + entries().keySet());
        assertEquals(3, a.keyNames().size());
    }

    @Test
    void theWrappingKeyRotatesWhenEveryServerUnwrapsWithTheNewOneFirst() {
        FleetNode old = node(source(List.of(W1, W2)), TlsVersion.TLS1_3);
        FleetNode rotated = node(source(List.of(W2, W1)), TlsVersion.TLS1_3);
        assertTrue(rotated.source.health().detail().contains("writes (wrapping key 'w2')"),
                rotated.source.health().detail());
        assertTrue(raw().hexists((PREFIX + "fleet").getBytes(StandardCharsets.UTF_8),
                "wrap:w2".getBytes(StandardCharsets.UTF_8)), "w2 did not join the fleet's wrapping keys");
        clock.advance(PERIOD);
        rotated.sync();
        byte[] madeByRotated = raw().get(name(firstPeriod + 3));
        assertNotEquals(null, madeByRotated);
        assertEquals("w2", new String(madeByRotated, 2, madeByRotated[1], StandardCharsets.US_ASCII));
        old.sync();
        assertEquals(rotated.keyNames(), old.keyNames());
        assertEquals(0, old.handle.keyRingStats().refused());

        FleetNode stranger = node(source(List.of(SealingKey.generate("w3"))), TlsVersion.TLS1_3);
        assertTrue(stranger.source.health().detail().contains("none of this node's wrapping keys"),
                stranger.source.health().detail());
        assertFalse(raw().hexists((PREFIX + "fleet").getBytes(StandardCharsets.UTF_8),
                "wrap:w3".getBytes(StandardCharsets.UTF_8)), "a server with no key of the fleet vouched for its own");
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheirValues() throws Exception {
        IllegalArgumentException slowPoll = assertThrows(IllegalArgumentException.class,
                () -> source(List.of(W1)).pollEvery(PERIOD).build());
        assertTrue(slowPoll.getMessage().contains("pollEvery (PT10S)"), slowPoll.getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> source(List.of(W1)).rotateEvery(Duration.ofSeconds(1)).pollEvery(Duration.ofMillis(100))
                        .maxTicketAge(Duration.ofHours(12)).build());
        assertTrue(tooMany.getMessage().contains("keys live"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FleetKeySource.builder(redis.uri(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> FleetKeySource.builder("http://x", List.of(W1)));
        RedisServer gone = RedisServer.start();
        String uri = gone.uri();
        gone.close();
        IllegalStateException down = assertThrows(IllegalStateException.class, () -> FleetKeySource.builder(uri,
                List.of(W1)).connectTimeout(Duration.ofMillis(300)).build());
        assertTrue(down.getMessage().contains("127.0.0.1:" + gone.port()), down.getMessage());
        assertEquals(new HashSet<>(), new HashSet<>(entries().keySet()), "a failed build wrote something");
    }
}
