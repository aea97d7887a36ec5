package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.EarlyDataHandshake;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.OpenSslCalls;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.EarlyDataOptions;
import io.ticketkeeper.EarlyDataRequest;
import io.ticketkeeper.EarlyDataStats;
import io.ticketkeeper.EarlyDataStatus;
import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.ReplayRecord;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketSession;
import io.ticketkeeper.micrometer.TicketKeeperMeterBinder;
import io.ticketkeeper.openssl.LibSsl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.3 early data through the library in real in-process handshakes (both backends): off by default, decided by
 * the policy with the record's answer, readable per connection, counted, and once per ticket on request.
 */
class EarlyDataTest {
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The default policy, recording what it was asked. */
    private static class Recording implements TicketPolicy {
        private final TicketPolicy defaults = TicketPolicy.defaults();
        final List<EarlyDataRequest> requests = new ArrayList<>();
        volatile boolean refuse;

        @Override
        public int selectKey(KeySnapshot keys, long nowMillis) {
            return defaults.selectKey(keys, nowMillis);
        }

        @Override
        public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
            return defaults.decideKey(keys, slot, nowMillis);
        }

        @Override
        public SessionDecision decideSession(TicketSession session) {
            return defaults.decideSession(session);
        }

        @Override
        public boolean decideEarlyData(EarlyDataRequest request) {
            requests.add(request);
            return !refuse && defaults.decideEarlyData(request);
        }
    }

    @Test
    void offByDefault() throws Exception {
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("early-off");
                ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                ClientContext client = new ClientContext(TlsVersion.TLS1_3, certificate);
                TicketKeeperHandle handle = TicketKeeper.install(server.address(), TicketKeeperOptions.defaults());
                HandshakeResult first = MemoryHandshake.run(server, client, null)) {
            assertEquals(0, OpenSslCalls.SSL.SSL_SESSION_get_max_early_data(first.session().session()));
            assertFalse(handle.earlyDataEnabled());
            assertEquals(EarlyDataStats.NONE, handle.earlyDataStats());
        }
    }

    @Test
    void thePolicyDecidesWithTheRecordsAnswerAndTheApplicationSeesTheOutcome() throws Exception {
        ManualClock clock = new ManualClock();
        Recording policy = new Recording();
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("early-on");
                ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                ClientContext client = new ClientContext(TlsVersion.TLS1_3, certificate);
                TicketKeeperHandle handle = TicketKeeper.install(server.address(), TicketKeeperOptions.builder()
                        .clock(clock).policy(policy)
                        .earlyData(EarlyDataOptions.builder().maxBytes(1024)
                                .record(ReplayRecord.inMemory(ReplayRecord.MIN_WINDOW, 100, clock)).build())
                        .build());
                HandshakeResult first = MemoryHandshake.run(server, client, null)) {
            assertEquals(1024, OpenSslCalls.SSL.SSL_SESSION_get_max_early_data(first.session().session()));
            clock.advance(Duration.ofSeconds(3));

            AtomicReference<EarlyDataStatus> seen = new AtomicReference<>();
            EarlyDataHandshake.Outcome accepted = EarlyDataHandshake.run(server, client, first.session(), REQUEST,
                    ssl -> seen.set(handle.earlyDataStatus(ssl)));
            assertTrue(accepted.completed() && accepted.resumed() && accepted.accepted(), accepted::toString);
            assertArrayEquals(REQUEST, accepted.read());
            assertEquals(EarlyDataStatus.ACCEPTED, seen.get());
            EarlyDataRequest request = policy.requests.get(0);
            assertEquals(TicketSession.TLS1_3, request.protocolVersion());
            assertEquals(0x13, request.cipherSuite() >> 8);
            assertEquals(1024, request.maxEarlyData());
            assertEquals(3000, request.ticketAgeMillis());
            assertTrue(request.fresh());
            assertEquals(io.ticketkeeper.ReplayAnswer.FIRST, request.replay());

            policy.refuse = true;
            EarlyDataHandshake.Outcome refused = EarlyDataHandshake.run(server, client, first.session(), REQUEST,
                    ssl -> seen.set(handle.earlyDataStatus(ssl)));
            assertTrue(refused.completed() && refused.resumed(), refused::toString);
            assertEquals(LibSsl.SSL_EARLY_DATA_REJECTED, refused.status());
            assertEquals(0, refused.read().length);
            assertEquals(EarlyDataStatus.REJECTED, seen.get());

            assertEquals(new EarlyDataStats(2, 1, 1, 0, 0, 0, 0, 0), handle.earlyDataStats());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new TicketKeeperMeterBinder(handle).bindTo(registry);
            assertEquals(1.0, registry.get("ticketkeeper.early.data").tag("outcome", "accepted").functionCounter()
                    .count());
            assertEquals(1.0, registry.get("ticketkeeper.early.data").tag("outcome", "rejected.policy")
                    .functionCounter().count());
        }
    }

    /**
     * The policy lowers max_early_data for one host: its tickets carry the lower value, the client cannot send
     * more, and what fits is accepted; the other host's tickets keep the options' value.
     */
    @Test
    void thePolicyLowersMaxEarlyDataPerHost() throws Exception {
        int lowered = 16;
        assertTrue(REQUEST.length > lowered);
        Recording policy = new Recording() {
            @Override
            public long maxEarlyData(Optional<String> hostName, long maxBytes) {
                return hostName.equals(Optional.of("small.example")) ? lowered : maxBytes;
            }
        };
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("early-lowered");
                ServerContext small = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                ServerContext big = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                ClientContext client = new ClientContext(TlsVersion.TLS1_3, certificate);
                TicketKeeperHandle handle = TicketKeeper.install(TicketKeeperOptions.builder().policy(policy)
                        .earlyData(EarlyDataOptions.builder().maxBytes(1024).build()).build())) {
            handle.attach(small.address(), "small.example");
            handle.attach(big.address(), "big.example");
            try (HandshakeResult smallFirst = MemoryHandshake.run(small, client, null);
                    HandshakeResult bigFirst = MemoryHandshake.run(big, client, null)) {
                assertEquals(lowered, OpenSslCalls.SSL.SSL_SESSION_get_max_early_data(smallFirst.session().session()));
                assertEquals(1024, OpenSslCalls.SSL.SSL_SESSION_get_max_early_data(bigFirst.session().session()));

                // First what fits: a client freed without close_notify leaves its session not resumable.
                byte[] fits = Arrays.copyOf(REQUEST, lowered);
                EarlyDataHandshake.Outcome accepted = EarlyDataHandshake.run(small, client, smallFirst.session(),
                        fits, ssl -> { });
                assertTrue(accepted.resumed() && accepted.accepted(), accepted::toString);
                assertArrayEquals(fits, accepted.read());
                IllegalStateException tooMuch = assertThrows(IllegalStateException.class, () ->
                        EarlyDataHandshake.run(small, client, smallFirst.session(), REQUEST, ssl -> { }));
                assertTrue(tooMuch.getMessage().contains("SSL_write_early_data"), tooMuch::getMessage);
                EarlyDataHandshake.Outcome whole = EarlyDataHandshake.run(big, client, bigFirst.session(), REQUEST,
                        ssl -> { });
                assertTrue(whole.resumed() && whole.accepted(), whole::toString);
                assertArrayEquals(REQUEST, whole.read());
                assertEquals(0, handle.earlyDataStats().policyErrors());
            }
        }
    }

    @Test
    void aSecondClientHelloWithTheSameTicketIsAcceptedUnlessOncePerTicket() throws Exception {
        for (boolean oncePerTicket : new boolean[] {false, true}) {
            EarlyDataOptions.Builder early = EarlyDataOptions.builder();
            if (oncePerTicket) {
                early.oncePerTicket(Duration.ofHours(1));
            }
            try (SelfSignedCertificate certificate = SelfSignedCertificate.create("early-twice");
                    ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                    ClientContext client = new ClientContext(TlsVersion.TLS1_3, certificate);
                    TicketKeeperHandle handle = TicketKeeper.install(server.address(), TicketKeeperOptions.builder()
                            .earlyData(early.build()).build());
                    HandshakeResult first = MemoryHandshake.run(server, client, null)) {
                EarlyDataHandshake.Outcome once = EarlyDataHandshake.run(server, client, first.session(), REQUEST,
                        ssl -> { });
                EarlyDataHandshake.Outcome twice = EarlyDataHandshake.run(server, client, first.session(), REQUEST,
                        ssl -> { });
                assertTrue(once.accepted(), once::toString);
                assertEquals(!oncePerTicket, twice.accepted(), twice::toString);
                assertTrue(twice.completed() && twice.resumed(), twice::toString);
                assertEquals(oncePerTicket ? 1 : 0, handle.earlyDataStats().rejectedReplay());
            }
        }
    }
}
