package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketkeeper.ReplayRecord;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.micrometer.TicketKeeperMeterBinder;
import io.ticketkeeper.session.redis.RedisReplayRecord;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Single-use TLS 1.3 tickets for every resumption (RFC 8446 section 8.1) in real handshakes: the same session
 * offered twice resumes once, on one server and across two servers sharing a Redis record; a record that cannot
 * answer gives full handshakes; off, a ticket resumes again.
 */
class SingleUseTicketsTest {
    private static final Duration LIFETIME = Duration.ofHours(1);

    private static TicketKeeperOptions.Builder options(TicketKey key) {
        return TicketKeeperOptions.builder().keys(key);
    }

    @Test
    void offATicketResumesTwiceOnAFullHandshakeWithAFreshTicketAndCounted() throws Exception {
        for (boolean singleUse : new boolean[] {false, true}) {
            TicketKeeperOptions.Builder builder = options(TicketKey.generate());
            if (singleUse) {
                builder.singleUseTickets(ReplayRecord.inMemory(ReplayRecord.MIN_WINDOW, 100), LIFETIME);
            }
            try (SelfSignedCertificate certificate = SelfSignedCertificate.create("single-use");
                    ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                    ClientContext client = new ClientContext(TlsVersion.TLS1_3, certificate);
                    TicketKeeperHandle handle = TicketKeeper.install(server.address(), builder.build());
                    HandshakeResult first = MemoryHandshake.run(server, client, null);
                    HandshakeResult once = MemoryHandshake.run(server, client, first.session());
                    HandshakeResult twice = MemoryHandshake.run(server, client, first.session())) {
                assertTrue(once.completed() && once.resumed(), once::toString);
                assertTrue(twice.completed(), twice::toString);
                assertEquals(!singleUse, twice.resumed(), twice::toString);
                assertTrue(twice.hasTicket(), "a fresh ticket after the full handshake");
                TicketStats stats = handle.stats();
                assertEquals(singleUse ? 1 : 2, stats.resumed());
                assertEquals(singleUse ? 1 : 0, stats.rejectedReusedTicket());
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                new TicketKeeperMeterBinder(handle).bindTo(registry);
                assertEquals(singleUse ? 1.0 : 0.0, registry.get("ticketkeeper.tickets").tag("outcome",
                        "rejected.reused").functionCounter().count());
                assertEquals(0, stats.rejectedUncheckedTicket());
                try (HandshakeResult fresh = MemoryHandshake.run(server, client, twice.session())) {
                    assertTrue(fresh.resumed(), "the fresh ticket resumes: " + fresh);
                }
            }
        }
    }

    /** Two servers sharing keys and a Redis record: a ticket used on one is refused on the other; Redis gone, no
     * ticket resumes unchecked. */
    @Test
    void aFleetSharesTheRecordAndRedisGoneGivesFullHandshakes() throws Exception {
        TicketKey key = TicketKey.generate();
        try (RedisServer redis = RedisServer.start();
                RedisReplayRecord recordA = RedisReplayRecord.builder(redis.uri()).wait(Duration.ofSeconds(2)).build();
                RedisReplayRecord recordB = RedisReplayRecord.builder(redis.uri()).wait(Duration.ofSeconds(2)).build();
                SelfSignedCertificate certificate = SelfSignedCertificate.create("single-use-fleet");
                ServerContext serverA = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                ServerContext serverB = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                ClientContext client = new ClientContext(TlsVersion.TLS1_3, certificate);
                TicketKeeperHandle a = TicketKeeper.install(serverA.address(),
                        options(key).singleUseTickets(recordA, LIFETIME).build());
                TicketKeeperHandle b = TicketKeeper.install(serverB.address(),
                        options(key).singleUseTickets(recordB, LIFETIME).build());
                HandshakeResult first = MemoryHandshake.run(serverA, client, null);
                HandshakeResult onA = MemoryHandshake.run(serverA, client, first.session());
                HandshakeResult onB = MemoryHandshake.run(serverB, client, first.session());
                HandshakeResult other = MemoryHandshake.run(serverB, client, null)) {
            assertTrue(onA.resumed(), onA::toString);
            assertTrue(onB.completed() && !onB.resumed(), onB::toString);
            assertEquals(1, b.stats().rejectedReusedTicket());

            redis.kill();
            try (HandshakeResult unchecked = MemoryHandshake.run(serverB, client, other.session())) {
                assertTrue(unchecked.completed(), unchecked::toString);
                assertFalse(unchecked.resumed(), unchecked::toString);
            }
            assertEquals(1, b.stats().rejectedUncheckedTicket());
            assertEquals(1, a.stats().resumed());
            assertEquals(0, b.stats().resumed());
        }
    }
}
