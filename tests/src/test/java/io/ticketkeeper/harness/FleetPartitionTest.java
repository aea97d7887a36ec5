package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.TlsVersion;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One server cut off from Redis (through a TCP proxy on loopback that drops its connections) while two others go
 * on: it keeps sealing with the keys it holds (the staged ones on schedule, then the newest for the outage
 * allowance), every ticket it seals resumes on the others, it stops issuing tickets when the rule says so, and it
 * rejoins without a split when the proxy lets it through again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetPartitionTest extends FleetFixture {
    private FleetNode node(String uri, ManualClock clock) {
        return node(source(uri, List.of(W1), clock).connectTimeout(Duration.ofSeconds(2)), clock, TlsVersion.TLS1_3);
    }

    @Test
    void aServerCutOffKeepsSealingWithinTheOutageRuleAndRejoinsWithoutASplit() throws Exception {
        RedisServer redis = RedisServer.start();
        closing.add(redis);
        TcpProxy proxy = TcpProxy.to(redis.port());
        closing.add(proxy);
        ManualClock clock = nextPeriodClock();
        FleetNode a = node(redis.uri(), clock);
        FleetNode b = node(redis.uri(), clock);
        FleetNode cut = node("redis://127.0.0.1:" + proxy.port(), clock);
        List<FleetNode> fleet = List.of(a, b, cut);
        ClientContext client = client(TlsVersion.TLS1_3);
        FleetHa.assertAgree(clock, PERIOD, fleet);

        proxy.cut();
        List<FleetNode> others = List.of(a, b);
        for (int periods = 1; periods <= 3; periods++) {
            clock.advance(PERIOD);
            FleetHa.awaitUp(5_000, others);
            cut.sync();
            assertEquals(KeySourceHealth.State.DOWN, cut.source.health().state());
            if (periods < 3) {
                assertEquals(a.sealingName(clock.millis()), cut.sealingName(clock.millis()),
                        "the cut server seals the staged key of period +" + periods + " on schedule");
            } else {
                assertNotEquals(a.sealingName(clock.millis()), cut.sealingName(clock.millis()),
                        "past its staged keys the cut server seals with its newest (outage sealing)");
            }
            assertEquals(0, FleetHa.resumeFailures(client, List.of(cut), others), "period +" + periods
                    + ": a ticket the cut server sealed did not resume on another");
            // The others seal, from the third period, with a key made after the cut: the cut server cannot know
            // it, and gives those clients a full handshake.
            assertEquals(periods < 3 ? 0 : 2, FleetHa.resumeFailures(client, others, List.of(cut)), "period +"
                    + periods + ": tickets of the others on the cut server");
        }
        clock.advance(PERIOD);
        FleetHa.awaitUp(5_000, others);
        cut.sync();
        assertNull(cut.sealingName(clock.millis()), "past the outage allowance the cut server must not seal");

        proxy.heal();
        long rejoined = FleetHa.awaitUp(10_000, fleet);
        FleetHa.assertAgree(clock, PERIOD, fleet);
        assertEquals(a.keyNames(), cut.keyNames(), "the rejoined server holds what the fleet holds");
        assertEquals(0, FleetHa.crossResumeFailures(client, fleet), "after rejoining");
        System.out.printf("partition: cut off for 4 periods, sealed on schedule for 2, with its newest key for 1, "
                + "none for 1; rejoined in %d ms without a split%n", rejoined);
    }
}
