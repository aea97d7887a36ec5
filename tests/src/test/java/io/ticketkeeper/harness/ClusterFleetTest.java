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
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.redis.RedisSessionStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet key source and the session store on a Redis Cluster of three masters with a replica each (real
 * processes on loopback): the fleet's keys share one slot, a key announced on one node reaches subscribers on every
 * node, and three in-JVM servers keep agreeing and resuming each other's tickets through a failover of the master
 * serving the fleet's slot and through a migration of that slot to another master.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterFleetTest extends FleetFixture {
    /** The default prefix, hash-tagged on a cluster. */
    private static final String TAGGED = "{ticketkeeper:fleet:}";

    private RedisCluster cluster;
    private ManualClock clock;

    /** A cluster of three masters with a replica each, closed after the test, and a clock on the fleet's period. */
    private void startCluster() throws Exception {
        cluster = RedisCluster.start(Path.of("target", "redis-ha"), 3, 1);
        closing.add(cluster);
        clock = nextPeriodClock();
    }

    /** The cluster, and three servers on it that agree on the keys. */
    private List<FleetNode> agreeingFleet() throws Exception {
        startCluster();
        List<FleetNode> fleet = List.of(node(), node(), node());
        FleetHa.assertAgree(clock, PERIOD, fleet);
        return fleet;
    }

    private FleetNode node() {
        return node(source(cluster.uri(), List.of(W1), clock), clock, TlsVersion.TLS1_3);
    }

    /** The keys in the fleet's slot on its master, after checking that no other master holds a fleet key. */
    private int keysInSlot(int slot) throws Exception {
        RedisServer owner = cluster.masterOf(slot);
        for (RedisServer node : cluster.nodes()) {
            if (node.alive() && node != owner && "master".equals(RedisCli.field(RedisCli.run(node.port(), "INFO",
                    "replication"), "role"))) {
                assertEquals("", RedisCli.run(node.port(), "KEYS", TAGGED + "*"), "a fleet key outside its slot");
            }
        }
        return Integer.parseInt(RedisCli.run(owner.port(), "CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot)));
    }

    @Test
    void theFleetAgreesThroughAFailoverAndASlotMigration() throws Exception {
        List<FleetNode> fleet = agreeingFleet();
        ClientContext client = client(TlsVersion.TLS1_3);
        assertEquals(0, FleetHa.crossResumeFailures(client, fleet));
        int slot = cluster.slot(TAGGED + "key:1");
        assertEquals(slot, cluster.slot(TAGGED + "fleet"));
        int initial = keysInSlot(slot);
        assertEquals(4, initial, "the fleet hash and three entries, all in the fleet's slot");

        // A key announced through one node reaches a subscriber on every node of the cluster.
        List<CountDownLatch> heard = new ArrayList<>();
        for (RedisServer node : cluster.nodes()) {
            RedisClient raw = RedisClient.create("redis://127.0.0.1:" + node.port());
            closing.add(() -> raw.shutdown(0, 1, TimeUnit.SECONDS));
            StatefulRedisPubSubConnection<String, String> subscriber = raw.connectPubSub();
            CountDownLatch latch = new CountDownLatch(1);
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    latch.countDown();
                }
            });
            subscriber.sync().subscribe(TAGGED + "events");
            heard.add(latch);
        }
        clock.advance(PERIOD);
        fleet.get(0).sync();
        for (int i = 0; i < heard.size(); i++) {
            assertTrue(heard.get(i).await(5, TimeUnit.SECONDS), "node " + i + " heard no announcement");
        }
        FleetHa.awaitUp(5_000, fleet);
        FleetHa.assertAgree(clock, PERIOD, fleet);

        // The master of the fleet's slot hands over to its replica (CLUSTER FAILOVER), then a key is made.
        RedisServer master = cluster.masterOf(slot);
        RedisServer replica = cluster.replicaOf(master);
        long start = System.nanoTime();
        cluster.failover(replica);
        long promoted = (System.nanoTime() - start) / 1_000_000;
        assertEquals(replica.port(), cluster.masterOf(slot).port());
        clock.advance(PERIOD);
        long followed = FleetHa.awaitUp(20_000, fleet);
        FleetHa.assertAgree(clock, PERIOD, fleet);
        assertEquals(0, FleetHa.crossResumeFailures(client, fleet), "after the failover");
        assertEquals(initial + 2, keysInSlot(slot), "two more periods' entries");

        // The fleet's slot moves to another master with its keys (MIGRATING/IMPORTING, MIGRATE, SETSLOT NODE).
        RedisServer target = cluster.nodes().stream()
                .filter(node -> node.alive() && node.port() != replica.port())
                .filter(node -> {
                    try {
                        return "master".equals(RedisCli.field(RedisCli.run(node.port(), "INFO", "replication"),
                                "role"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).findFirst().orElseThrow();
        cluster.migrate(slot, target);
        assertEquals(target.port(), cluster.masterOf(slot).port());
        clock.advance(PERIOD);
        long migrated = FleetHa.awaitUp(20_000, fleet);
        FleetHa.assertAgree(clock, PERIOD, fleet);
        assertEquals(0, FleetHa.crossResumeFailures(client, fleet), "after the migration");
        assertEquals(initial + 3, keysInSlot(slot), "three more periods' entries, on the new owner");
        long failed = fleet.stream().mapToLong(node -> node.source.health().failures()).sum();
        System.out.printf("cluster: failover of the fleet's master took %d ms, the fleet's next exchange %d ms; after "
                + "the slot migration, %d ms; failed exchanges through both %d; resumptions lost 0%n", promoted,
                followed, migrated, failed);
    }

    @Test
    void theFleetAndTheStoreFollowAKilledMastersReplica() throws Exception {
        List<FleetNode> fleet = agreeingFleet();
        ClientContext client = client(TlsVersion.TLS1_3);
        RedisSessionStore store = RedisSessionStore.builder(cluster.uri(), List.of(W1))
                .timeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build();
        closing.add(store);
        int count = 30;
        for (int i = 0; i < count; i++) {
            store.put(id(i), ("session " + i).getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
        }
        int slot = cluster.slot(TAGGED + "key:1");
        int initial = keysInSlot(slot);
        RedisServer master = cluster.masterOf(slot);
        RedisServer replica = cluster.replicaOf(master);
        // Asynchronous replication: what the replica lacks when its master dies is lost; wait until it holds all.
        RedisCli.await(5_000, "the replica to catch up", () -> RedisCli.field(RedisCli.run(master.port(), "INFO",
                "replication"), "master_repl_offset").equals(RedisCli.field(RedisCli.run(replica.port(), "INFO",
                "replication"), "slave_repl_offset")));
        // Tickets sealed before the crash, to be resumed across servers after it.
        List<HandshakeResult> before = new ArrayList<>();
        for (FleetNode node : fleet) {
            HandshakeResult sealed = MemoryHandshake.run(node.context, client, null);
            closing.add(sealed);
            before.add(sealed);
        }

        // The master of the fleet's slot crashes (SIGKILL); its replica is promoted by the cluster (node timeout 1 s).
        long start = System.nanoTime();
        master.kill();
        RedisCli.await(30_000, "the replica on " + replica.port() + " to become master",
                () -> "master".equals(RedisCli.field(RedisCli.run(replica.port(), "INFO", "replication"), "role")));
        cluster.awaitHealthy(20_000);
        long promoted = (System.nanoTime() - start) / 1_000_000;
        assertEquals(replica.port(), cluster.masterOf(slot).port());
        clock.advance(PERIOD);
        // Within 10 s of the promotion: a client that kept its cached topology would wait for its periodic
        // refresh (30 s), routing to the dead node meanwhile.
        long followed = FleetHa.awaitUp(10_000, fleet);
        long sinceKill = (System.nanoTime() - start) / 1_000_000;
        FleetHa.assertAgree(clock, PERIOD, fleet);
        assertEquals(initial + 1, keysInSlot(slot), "every entry from before the crash, and the new period's");
        int resumed = 0;
        for (int i = 0; i < fleet.size(); i++) {
            for (FleetNode opener : fleet) {
                if (opener == fleet.get(i)) {
                    continue;
                }
                try (HandshakeResult again = MemoryHandshake.run(opener.context, client, before.get(i).session())) {
                    assertTrue(again.resumed(), "a ticket sealed before the crash did not resume on another server");
                    resumed++;
                }
            }
        }
        assertEquals(0, FleetHa.crossResumeFailures(client, fleet), "after the crash");
        int found = 0;
        for (int i = 0; i < count; i++) {
            found += store.get(id(i)).isPresent() ? 1 : 0;
        }
        assertEquals(count, found, "every session entry after the crash: " + store.stats());
        System.out.printf("cluster: the fleet's master SIGKILLed, its replica master and the cluster ok after %d ms; "
                + "every server UP %d ms after the kill (%d ms of exchanges after promotion); entries lost 0; "
                + "resumptions of tickets sealed before the crash across servers %d, lost 0; sessions found %d of %d%n",
                promoted, sinceKill, followed, resumed, found, count);
    }

    @Test
    void theSessionStoreSpreadsOverTheClusterAndWorksThroughAFailover() throws Exception {
        startCluster();
        RedisSessionStore store = RedisSessionStore.builder(cluster.uri(), List.of(W1))
                .timeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build();
        closing.add(store);
        int count = 30;
        for (int i = 0; i < count; i++) {
            store.put(id(i), ("session " + i).getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
        }
        assertEquals(count, store.stats().puts(), store.stats()::toString);
        int masters = 0;
        for (RedisServer node : cluster.nodes()) {
            String keys = RedisCli.run(node.port(), "DBSIZE");
            if ("master".equals(RedisCli.field(RedisCli.run(node.port(), "INFO", "replication"), "role"))) {
                masters += Integer.parseInt(keys) > 0 ? 1 : 0;
            }
        }
        assertEquals(3, masters, "session entries spread over every master");
        RedisServer master = cluster.masterOf(cluster.slot("ticketkeeper:session:sid-0"));
        cluster.failover(cluster.replicaOf(master));
        assertNotEquals(master.port(), cluster.masterOf(cluster.slot("ticketkeeper:session:sid-0")).port());
        int found = 0;
        for (int i = 0; i < count; i++) {
            found += store.get(id(i)).isPresent() ? 1 : 0;
        }
        assertEquals(count, found, "every entry after the failover: " + store.stats());
        store.put(id(count), "after".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
        assertEquals("after", new String(store.take(id(count)).orElseThrow(), StandardCharsets.UTF_8));
    }

    private static SessionId id(int i) {
        return SessionId.of(("sid-" + i).getBytes(StandardCharsets.UTF_8));
    }
}
