package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.KeyStats;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.jmx.TicketKeeperJmx;
import io.ticketkeeper.micrometer.TicketKeeperMeterBinder;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionStore;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The counters after real handshakes, per context and per key, through the snapshot API, Micrometer and JMX. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class MetricsTest {
    @Test
    void countersReachEveryView() throws Exception {
        ManualClock clock = new ManualClock();
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("metrics");
                ServerContext server = ServerContext.builder(TlsVersion.TLS1_2, certificate).build();
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate);
                TicketKeeperHandle handle = TicketKeeper.install(server.address(), TicketKeeperOptions.builder()
                        .clock(clock).policy(DefaultTicketPolicy.builder().build())
                        .keySource(KeyRotation.defaults()).build())) {
            try (HandshakeResult first = MemoryHandshake.run(server, client, null)) {
                clock.advance(Duration.ofHours(1));
                handle.refreshKeys();
                try (HandshakeResult renewed = MemoryHandshake.run(server, client, first.session())) {
                    assertTrue(renewed.resumed());
                }
            }
            List<KeyStats> keys = handle.keyStats();
            KeyStats retired = keys.get(2);
            assertEquals(1, retired.sealed(), keys::toString);
            assertEquals(1, retired.opened(), keys::toString);
            assertEquals(1, keys.get(1).sealed(), "the renewed ticket is the new key's: " + keys);

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new TicketKeeperMeterBinder(handle, Tags.of("context", "test")).bindTo(registry);
            assertEquals(2.0, registry.get("ticketkeeper.tickets").tag("outcome", "sealed").functionCounter().count());
            assertEquals(1.0, registry.get("ticketkeeper.tickets").tag("outcome", "renewed").functionCounter().count());
            assertEquals(1.0, registry.get("ticketkeeper.key.events").tag("type", "retired").functionCounter().count());
            assertEquals(3.0, registry.get("ticketkeeper.keys").tag("context", "test").gauge().value());

            ObjectName name = TicketKeeperJmx.register(handle, "metrics-test");
            try {
                var server2 = ManagementFactory.getPlatformMBeanServer();
                assertEquals(1L, server2.getAttribute(name, "Resumed"));
                assertEquals(3, server2.getAttribute(name, "Keys"));
                assertEquals(3, ((String[]) server2.getAttribute(name, "KeyDetails")).length);
                assertTrue(((String[]) server2.getAttribute(name, "KeyDetails"))[2].contains("OPEN_ONLY"));
            } finally {
                TicketKeeperJmx.unregister(name);
            }
        }
    }

    @Test
    void sessionCacheCountersReachMicrometerAndJmx() throws Exception {
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("metrics-cache");
                ServerContext server = ServerContext.builder(TlsVersion.TLS1_2, certificate).tickets(false).build();
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate);
                TicketKeeperHandle handle = TicketKeeper.install(server.address(), TicketKeeperOptions.builder()
                        .sessionCache(SessionCacheOptions.of(SessionStore.inMemory(100))).build());
                HandshakeResult first = MemoryHandshake.run(server, client, null);
                HandshakeResult second = MemoryHandshake.run(server, client, first.session())) {
            assertTrue(second.resumed(), "the session id did not resume through the store");

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new TicketKeeperMeterBinder(handle).bindTo(registry);
            assertEquals(1.0, registry.get("ticketkeeper.sessions").tag("outcome", "stored").functionCounter().count());
            assertEquals(1.0, registry.get("ticketkeeper.sessions").tag("outcome", "hit").functionCounter().count());
            assertEquals(0.0, registry.get("ticketkeeper.errors").tag("kind", "store").functionCounter().count());

            ObjectName name = TicketKeeperJmx.register(handle, "metrics-cache-test");
            try {
                var beans = ManagementFactory.getPlatformMBeanServer();
                assertEquals(1L, beans.getAttribute(name, "SessionHits"));
                assertEquals(1L, beans.getAttribute(name, "SessionLookups"));
            } finally {
                TicketKeeperJmx.unregister(name);
            }
        }
    }
}
