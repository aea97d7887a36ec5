package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.redis.RedisSessionStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet key source and the session store on Redis Sentinel: a master, two replicas and three sentinels (real
 * processes on loopback); three in-JVM servers, each with its own connections, agree on the keys and resume each
 * other's tickets; the master is killed (SIGKILL) while a key is being made; the fleet follows the promoted replica
 * without a restart, keeps its keys, and converges when the new master lacks a key one server made (a write lost
 * to asynchronous replication, made on purpose by deleting it there).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SentinelFleetTest extends FleetFixture {
    private static final String PREFIX = "ticketkeeper:fleet:";

    private RedisSentinel sentinel;
    private ManualClock clock;

    /** Three sentinels over a master and its replicas (a password on all, or null), closed after the test. */
    private void startSentinel(int replicas, String password) throws Exception {
        sentinel = RedisSentinel.start(Path.of("target", "redis-ha"), replicas, 3, password);
        closing.add(sentinel);
        clock = nextPeriodClock();
    }

    private FleetNode node() {
        return node(sentinel.uri());
    }

    private FleetNode node(String uri) {
        return node(source(uri, List.of(W1), clock)
                // The background threads read at once on an announcement, so that they are quiet (until the next
                // poll, 9 s later) when the test deletes a key and a late server makes another.
                .announceJitter(Duration.ZERO), clock, TlsVersion.TLS1_3);
    }

    /**
     * A plain connection to whichever server is master now. Right after a failover a sentinel may still name the
     * killed master for a moment: ask again until the one named answers as master.
     */
    private RedisCommands<byte[], byte[]> master() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + sentinel.masterPort());
            closing.add(() -> client.shutdown(0, 1, TimeUnit.SECONDS));
            try {
                StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
                if (connection.sync().info("replication").contains("role:master")) {
                    return connection.sync();
                }
            } catch (io.lettuce.core.RedisConnectionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no server answered as master for 20 s");
            }
            Thread.sleep(200);
        }
    }

    private static Map<String, byte[]> entries(RedisCommands<byte[], byte[]> redis) {
        Map<String, byte[]> entries = new HashMap<>();
        for (byte[] key : redis.keys(PREFIX + "key:*")) {
            entries.put(new String(key, StandardCharsets.UTF_8), redis.get(key));
        }
        return entries;
    }

    @Test
    void theFleetFollowsAFailoverWithoutLosingResumptionsAndConvergesOnALostWrite() throws Exception {
        startSentinel(2, null);
        List<FleetNode> fleet = List.of(node(), node(), node());
        FleetNode a = fleet.get(0);
        FleetNode b = fleet.get(1);
        ClientContext client = client(TlsVersion.TLS1_3);
        FleetHa.assertAgree(clock, PERIOD, fleet);
        assertEquals(0, FleetHa.crossResumeFailures(client, fleet), "before the failover");
        List<HandshakeResult> sealedBefore = new ArrayList<>();
        for (FleetNode node : fleet) {
            HandshakeResult sealed = MemoryHandshake.run(node.context, client, null);
            closing.add(sealed);
            sealedBefore.add(sealed);
        }

        // A new period: a makes its key (SET NX, then WAIT for a replica) while the master dies under it.
        clock.advance(PERIOD);
        Map<String, byte[]> before = entries(master());
        CompletableFuture<Void> making = CompletableFuture.runAsync(a::sync);
        int oldMaster = sentinel.killMaster();
        long killed = System.nanoTime();
        making.get(10, TimeUnit.SECONDS);
        boolean madeBeforeTheKill = a.source.health().state() == io.ticketkeeper.KeySourceHealth.State.UP;
        String making2Ahead = PREFIX + "key:" + (clock.millis() / PERIOD.toMillis() + 2);
        int newMaster = sentinel.awaitNewMaster(oldMaster, 30_000);
        long promoted = (System.nanoTime() - killed) / 1_000_000;
        Map<String, byte[]> promotedHolds = entries(master());
        List<String> expected = new ArrayList<>(before.keySet());
        if (madeBeforeTheKill) {
            expected.add(making2Ahead);
        }
        long lost = expected.stream().filter(name -> !promotedHolds.containsKey(name)).count();
        long followed = FleetHa.awaitUp(30_000, fleet) + promoted;
        Map<String, byte[]> after = entries(master());
        FleetHa.assertAgree(clock, PERIOD, fleet);
        assertEquals(4, after.size(), "the live periods' entries on the new master " + after.keySet());

        int resumedAcross = 0;
        for (int i = 0; i < fleet.size(); i++) {
            for (FleetNode opener : fleet) {
                if (opener == fleet.get(i)) {
                    continue;
                }
                try (HandshakeResult resumed = MemoryHandshake.run(opener.context, client,
                        sealedBefore.get(i).session())) {
                    assertTrue(resumed.resumed(), "a ticket sealed before the failover did not resume after it");
                    resumedAcross++;
                }
            }
        }
        assertEquals(0, FleetHa.crossResumeFailures(client, fleet), "after the failover");

        // A write the failover lost, on purpose: the next period's key is made and every server holds it; the new
        // master loses it (deleted), and a server that starts now finds the period empty and makes another. The
        // fleet converges on what Redis holds; every server keeps the lost key, open-only.
        clock.advance(PERIOD);
        FleetHa.awaitUp(5_000, fleet);
        Thread.sleep(300); // the reads the announcement woke are done
        RedisCommands<byte[], byte[]> redis = master();
        String newest = entries(redis).keySet().stream().max((x, y) -> Long.compare(period(x), period(y)))
                .orElseThrow();
        byte[] made = redis.get(newest.getBytes(StandardCharsets.UTF_8));
        redis.del(newest.getBytes(StandardCharsets.UTF_8));
        FleetNode late = node();
        byte[] remade = redis.get(newest.getBytes(StandardCharsets.UTF_8));
        assertTrue(remade != null && !Arrays.equals(made, remade), "the late server did not make another key for "
                + newest);
        List<FleetNode> all = List.of(a, b, fleet.get(2), late);
        FleetHa.awaitUp(5_000, all);
        FleetHa.assertAgree(clock, PERIOD, all);
        for (FleetNode node : fleet) {
            assertTrue(node.keyNames().containsAll(late.keyNames())
                    && node.keyNames().size() == late.keyNames().size() + 1,
                    "every server should hold the fleet's keys plus the lost one (open-only): " + node.keyNames()
                            + " vs " + late.keyNames());
        }
        assertEquals(0, FleetHa.crossResumeFailures(client, all), "after converging");

        // A key every server holds, lost: written back as it was, nobody makes another.
        byte[] held = redis.get(newest.getBytes(StandardCharsets.UTF_8));
        redis.del(newest.getBytes(StandardCharsets.UTF_8));
        FleetHa.awaitUp(5_000, all);
        assertTrue(Arrays.equals(held, redis.get(newest.getBytes(StandardCharsets.UTF_8))),
                "a lost key every server held was not written back as it was");
        FleetHa.assertAgree(clock, PERIOD, all);
        System.out.printf("sentinel failover: master %d -> %d promoted after %d ms, fleet followed after %d ms; "
                + "key made as the master died: %s; entries lost %d of %d (the new master then holds %d); "
                + "resumptions across servers through the failover %d, lost 0%n", oldMaster, newMaster, promoted,
                followed, madeBeforeTheKill ? "written and acknowledged" : "not written", lost, expected.size(),
                after.size(), resumedAcross);
    }

    private static long period(String name) {
        return Long.parseLong(name.substring(name.lastIndexOf(':') + 1));
    }

    @Test
    void theSessionStoreWorksThroughAFailover() throws Exception {
        startSentinel(2, null);
        RedisSessionStore store = RedisSessionStore.builder(sentinel.uri(), List.of(W1))
                .timeout(Duration.ofMillis(200)).connectTimeout(Duration.ofMillis(500)).build();
        closing.add(store);
        int count = 50;
        for (int i = 0; i < count; i++) {
            store.put(id(i), ("session " + i).getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
        }
        assertEquals(count, store.stats().puts());
        RedisCommands<byte[], byte[]> old = master();
        assertEquals(2L, old.waitForReplication(2, 2000), "both replicas hold the entries");
        int oldMaster = sentinel.killMaster();
        long killed = System.nanoTime();
        sentinel.awaitNewMaster(oldMaster, 30_000);
        int found = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (found == 0 && System.nanoTime() < deadline) {
            Optional<byte[]> first = store.get(id(0));
            found = first.isPresent() ? 1 : 0;
            if (found == 0) {
                Thread.sleep(50);
            }
        }
        long followed = (System.nanoTime() - killed) / 1_000_000;
        for (int i = 1; i < count; i++) {
            found += store.get(id(i)).isPresent() ? 1 : 0;
        }
        assertEquals(count, found, "entries replicated before the failover are there after it");
        store.put(id(count), "after".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
        assertEquals("after", new String(store.take(id(count)).orElseThrow(), StandardCharsets.UTF_8));
        assertNotEquals(oldMaster, sentinel.masterPort());
        System.out.printf("sentinel failover, session store: answering again %d ms after the kill; %d of %d "
                + "entries found, %d failed and %d timed-out commands meanwhile%n", followed, found, count,
                store.stats().failures(), store.stats().timeouts());
    }

    @Test
    void withAPasswordOnSentinelsAndDataNodesBothAreAuthenticated() throws Exception {
        startSentinel(1, "s3cret-pass");
        String withPassword = sentinel.uri(":s3cret-pass");
        List<FleetNode> fleet = List.of(node(withPassword), node(withPassword));
        FleetHa.assertAgree(clock, PERIOD, fleet);
        // A failover the sentinels are asked for: the old master stays up, answering as master, until the
        // sentinels demote it (up to about 10 s); what is written there meanwhile is lost in its resync. The fleet
        // follows the sentinels' +switch-master instead, at once.
        int oldMaster = sentinel.failover();
        int newMaster = sentinel.awaitNewMaster(oldMaster, 30_000);
        long switched = System.nanoTime();
        clock.advance(PERIOD);
        String newest = PREFIX + "key:" + (clock.millis() / PERIOD.toMillis() + 2);
        long deadline = switched + TimeUnit.SECONDS.toNanos(15);
        int rounds = 0;
        while (!"1".equals(RedisCli.run(newMaster, "--no-auth-warning", "-a", "s3cret-pass", "EXISTS", newest))
                && System.nanoTime() < deadline) {
            FleetHa.awaitUp(5_000, fleet);
            rounds++;
            Thread.sleep(50);
        }
        long onNewMaster = (System.nanoTime() - switched) / 1_000_000;
        String oldRole = RedisCli.field(RedisCli.run(oldMaster, "--no-auth-warning", "-a", "s3cret-pass", "INFO",
                "replication"), "role");
        assertEquals("1", RedisCli.run(newMaster, "--no-auth-warning", "-a", "s3cret-pass", "EXISTS", newest),
                "the key of the new period is on the new master");
        assertTrue(onNewMaster < 2_000, "the fleet wrote to the new master " + onNewMaster + " ms after the switch "
                + "(old master's role then: " + oldRole + ")");
        FleetHa.assertAgree(clock, PERIOD, fleet);
        // Nothing was written on the old master alone: once it is demoted and resynced, the new master still holds
        // every key the fleet holds, without a server writing one back.
        RedisCli.await(30_000, "the old master demoted", () -> "slave".equals(RedisCli.field(RedisCli.run(oldMaster,
                "--no-auth-warning", "-a", "s3cret-pass", "INFO", "replication"), "role")));
        long demoted = (System.nanoTime() - switched) / 1_000_000;
        long first = clock.millis() / PERIOD.toMillis();
        for (long index = first; index <= first + 2; index++) {
            assertEquals("1", RedisCli.run(newMaster, "--no-auth-warning", "-a", "s3cret-pass", "EXISTS",
                    PREFIX + "key:" + index), "period " + index + "'s key on the new master after the demotion");
        }
        FleetHa.assertAgree(clock, PERIOD, fleet);
        System.out.println("sentinel failover on request: the new period's key was on the new master " + onNewMaster
                + " ms after the switch (" + rounds + " exchanges per server, old master's role then " + oldRole
                + "); the old master was demoted " + demoted + " ms after the switch; no key lost");
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> source(sentinel.uri(), List.of(W1), clock).build());
        assertTrue(refused.getMessage().contains("redis-sentinel://") && !refused.getMessage().contains("s3cret"),
                refused.getMessage());
        try (RedisSessionStore store = RedisSessionStore.builder(sentinel.uri(), List.of(W1))
                .credentials(null, "s3cret-pass".toCharArray())
                .timeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build()) {
            store.put(id(1), "one".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
            assertEquals("one", new String(store.get(id(1)).orElseThrow(), StandardCharsets.UTF_8));
        }
    }

    private static SessionId id(int i) {
        return SessionId.of(("sid-" + i).getBytes(StandardCharsets.UTF_8));
    }
}
