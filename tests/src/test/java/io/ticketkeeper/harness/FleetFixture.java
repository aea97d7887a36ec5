package io.ticketkeeper.harness;

import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.session.redis.SealingKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every fleet test sets up the same way: one schedule, a wrapping key, a certificate for the servers, the
 * fleet's servers ({@link FleetNode}) on a manual clock, and what a test opened, closed after it.
 */
abstract class FleetFixture {
    static final Duration PERIOD = Duration.ofSeconds(10);
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    static final SealingKey W1 = SealingKey.generate("w1");
    static SelfSignedCertificate certificate;

    /** Closed after each test, newest first: servers before the Redis they talk to, which a test adds first. */
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("fleet");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    @AfterEach
    void closeNewestFirst() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** A clock 1 s into the period after the present one (Redis expires entries by real time). */
    static ManualClock nextPeriodClock() {
        long period = PERIOD.toMillis();
        return new ManualClock(Instant.ofEpochMilli((System.currentTimeMillis() / period + 1) * period + 1000));
    }

    /** A fleet source on the tests' schedule, polling every 9 s, with timeouts short enough for a test to wait. */
    static FleetKeySource.Builder source(String uri, List<SealingKey> wrappingKeys, ManualClock clock) {
        return FleetKeySource.builder(uri, wrappingKeys)
                .rotateEvery(PERIOD)
                .maxTicketAge(MAX_AGE)
                .pollEvery(Duration.ofSeconds(9))
                .timeout(Duration.ofMillis(500))
                .connectTimeout(Duration.ofMillis(500))
                .clock(clock);
    }

    /** A client of the fleet's servers, closed after the test. */
    ClientContext client(TlsVersion version) {
        ClientContext client = new ClientContext(version, certificate);
        closing.add(client);
        return client;
    }

    /** A server of the fleet (the default policy with {@link #MAX_AGE}), closed after the test. */
    FleetNode node(FleetKeySource.Builder source, ManualClock clock, TlsVersion version) {
        FleetNode node = new FleetNode(source, clock, MAX_AGE, version, certificate);
        closing.add(node);
        return node;
    }
}
