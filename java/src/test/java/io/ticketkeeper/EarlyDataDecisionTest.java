package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.internal.EarlyDataDecider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The early data decision without a handshake: the in-memory record, the options' checks, the decider's counts. */
class EarlyDataDecisionTest {
    private static final long START = 1_800_000_000_000L;
    private static final long WINDOW = ReplayRecord.MIN_WINDOW.toMillis();

    /** A clock the test moves. */
    private static final class StepClock extends Clock {
        long now = START;

        @Override
        public long millis() {
            return now;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static byte[] random(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return bytes;
    }

    @Test
    void theMemoryRecordSeesAReplayWithinItsTimeAndForgetsItAfter() {
        StepClock clock = new StepClock();
        InMemoryReplayRecord record = new InMemoryReplayRecord(ReplayRecord.MIN_WINDOW, 10, clock);
        long issued = START + 1;
        assertEquals(ReplayAnswer.FIRST, record.record(random(1), WINDOW, issued, START + 2));
        assertEquals(ReplayAnswer.REPLAY, record.record(random(1), WINDOW, issued, START + 2 + WINDOW - 1));
        assertEquals(ReplayAnswer.FIRST, record.record(random(2), WINDOW, issued, START + 3));
        assertEquals(ReplayAnswer.FIRST, record.record(random(1), WINDOW, issued, START + 2 + WINDOW));
    }

    @Test
    void aFullMemoryRecordRefusesRatherThanForget() {
        InMemoryReplayRecord record = new InMemoryReplayRecord(ReplayRecord.MIN_WINDOW, 2, new StepClock());
        assertEquals(ReplayAnswer.FIRST, record.record(random(1), WINDOW, START, START));
        assertEquals(ReplayAnswer.FIRST, record.record(random(2), WINDOW, START, START));
        assertEquals(ReplayAnswer.FULL, record.record(random(3), WINDOW, START, START + 1));
        assertEquals(ReplayAnswer.REPLAY, record.record(random(1), WINDOW, START, START + 1));
        assertEquals(ReplayAnswer.FIRST, record.record(random(3), WINDOW, START, START + WINDOW));
    }

    @Test
    void aFreshMemoryRecordRefusesTicketsFromBeforeItsStartForOneLifetime() {
        InMemoryReplayRecord record = new InMemoryReplayRecord(ReplayRecord.MIN_WINDOW, 10, new StepClock());
        assertEquals(ReplayAnswer.STARTING, record.record(random(1), WINDOW, START - 1, START + WINDOW - 1));
        assertEquals(ReplayAnswer.STARTING, record.record(random(2), WINDOW, -1, START + 5));
        // A ticket first issued after the start cannot have been used before it.
        assertEquals(ReplayAnswer.FIRST, record.record(random(3), WINDOW, START, START + 5));
        assertEquals(ReplayAnswer.FIRST, record.record(random(1), WINDOW, START - 1, START + WINDOW));
    }

    @Test
    void optionsRefuseWhatWouldLetAReplayIn() {
        ReplayRecord shortRecord = new InMemoryReplayRecord(Duration.ofSeconds(5), 10, new StepClock());
        IllegalArgumentException shortWindow = assertThrows(IllegalArgumentException.class,
                () -> EarlyDataOptions.builder().record(shortRecord));
        assertTrue(shortWindow.getMessage().contains("PT5S"), shortWindow.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EarlyDataOptions.builder().maxBytes(0));
        assertThrows(IllegalArgumentException.class,
                () -> EarlyDataOptions.builder().oncePerTicket(Duration.ofSeconds(3)));
        assertFalse(TicketKeeperOptions.defaults().earlyData().isPresent());
        assertEquals(16384, EarlyDataOptions.defaults().maxBytes());
    }

    /** Slot 0 seals, every key and session is used: the tests override the early data decisions only. */
    private abstract static class SealsAndUsesEverything implements TicketPolicy {
        @Override
        public int selectKey(KeySnapshot keys, long nowMillis) {
            return 0;
        }

        @Override
        public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
            return KeyDecision.USE;
        }

        @Override
        public SessionDecision decideSession(TicketSession session) {
            return SessionDecision.USE;
        }
    }

    private static EarlyDataDecider.View view(byte[] random, byte[] ticketId) {
        return new EarlyDataDecider.View(7, TicketSession.TLS1_3, 0x1301, 16384, true, START + 10, 3, random,
                "a.test", "h2", ticketId);
    }

    @Test
    void theDefaultPolicyAcceptsOnlyWhatTheRecordSawFirstAndEveryRefusalIsCountedByReason() {
        StepClock clock = new StepClock();
        List<EarlyDataRequest> seen = new ArrayList<>();
        TicketPolicy policy = new SealsAndUsesEverything() {
            private final TicketPolicy defaults = TicketPolicy.defaults();

            @Override
            public boolean decideEarlyData(EarlyDataRequest request) {
                seen.add(request);
                if (request.alpn().orElse("").equals("refuse")) {
                    return false;
                }
                if (request.alpn().orElse("").equals("throw")) {
                    throw new IllegalStateException("policy bug");
                }
                return defaults.decideEarlyData(request);
            }
        };
        EarlyDataDecider decider = new EarlyDataDecider(EarlyDataOptions.builder()
                .record(new InMemoryReplayRecord(ReplayRecord.MIN_WINDOW, 10, clock)).build(), policy, clock);
        clock.now = START + 20; // the record started at START, before the ticket (START + 10)
        decider.addContext(7, "a.test");
        assertTrue(decider.decide(view(random(1), null)));
        assertFalse(decider.decide(view(random(1), null)));
        assertFalse(decider.decide(new EarlyDataDecider.View(7, TicketSession.TLS1_3, 0x1301, 16384, true,
                START + 10, 3, random(2), null, "refuse", null)));
        assertFalse(decider.decide(new EarlyDataDecider.View(7, TicketSession.TLS1_3, 0x1301, 16384, true,
                START + 10, 3, random(3), null, "throw", null)));
        assertEquals(new EarlyDataStats(4, 1, 2, 1, 0, 0, 0, 1), decider.stats());
        EarlyDataRequest first = seen.get(0);
        assertEquals("a.test", first.hostName().orElseThrow());
        assertEquals("a.test", first.serverName().orElseThrow());
        assertEquals(10, first.ticketAgeMillis());
        assertEquals(3, first.issuedUnderGeneration());
        assertTrue(first.fresh());
        assertEquals(ReplayAnswer.REPLAY, seen.get(1).replay());
    }

    /** The policy may lower a ticket's max_early_data, never raise it; a throwing policy gives 0, counted. */
    @Test
    void thePolicyLowersMaxEarlyDataNeverRaisesIt() {
        StepClock clock = new StepClock();
        TicketPolicy policy = new SealsAndUsesEverything() {
            @Override
            public long maxEarlyData(Optional<String> hostName, long maxBytes) {
                switch (hostName.orElse("")) {
                    case "low": return 100;
                    case "high": return maxBytes + 1;
                    case "negative": return -5;
                    case "throw": throw new IllegalStateException("policy bug");
                    default: return maxBytes;
                }
            }
        };
        EarlyDataDecider decider = new EarlyDataDecider(EarlyDataOptions.builder()
                .record(new InMemoryReplayRecord(ReplayRecord.MIN_WINDOW, 10, clock)).build(), policy, clock);
        String[] hosts = {"low", "high", "negative", "throw"};
        for (int i = 0; i < hosts.length; i++) {
            decider.addContext(i, hosts[i]);
        }
        assertEquals(100, decider.maxEarlyData(0, 16384));
        assertEquals(16384, decider.maxEarlyData(1, 16384));
        assertEquals(0, decider.maxEarlyData(2, 16384));
        assertEquals(0, decider.maxEarlyData(3, 16384));
        assertEquals(16384, decider.maxEarlyData(9, 16384), "a context without a host name");
        assertEquals(1, decider.stats().policyErrors());
    }

    @Test
    void aRecordThatThrowsOrAnswersNothingRefusesAsUnavailable() {
        StepClock clock = new StepClock();
        ReplayRecord broken = new ReplayRecord() {
            @Override
            public ReplayAnswer record(byte[] key, long ttlMillis, long ticketIssuedAtMillis, long nowMillis) {
                if (key[0] == 1) {
                    throw new IllegalStateException("down");
                }
                return null;
            }

            @Override
            public Duration window() {
                return ReplayRecord.MIN_WINDOW;
            }
        };
        EarlyDataDecider decider = new EarlyDataDecider(EarlyDataOptions.builder().record(broken).build(),
                TicketPolicy.defaults(), clock);
        assertFalse(decider.decide(view(random(1), null)));
        assertFalse(decider.decide(view(random(2), null)));
        assertEquals(new EarlyDataStats(2, 0, 0, 0, 0, 0, 2, 1), decider.stats());
    }

    @Test
    void oncePerTicketRefusesTheSameTicketInAnyClientHelloAndATicketWithoutIdentity() {
        StepClock clock = new StepClock();
        EarlyDataDecider decider = new EarlyDataDecider(EarlyDataOptions.builder()
                .record(new InMemoryReplayRecord(ReplayRecord.MIN_WINDOW, 10, clock))
                .oncePerTicket(Duration.ofHours(1)).build(), TicketPolicy.defaults(), clock);
        clock.now = START + 20;
        assertTrue(decider.decide(view(random(1), random(9))));
        assertFalse(decider.decide(view(random(2), random(9))));
        assertTrue(decider.decide(view(random(3), random(8))));
        assertFalse(decider.decide(view(random(4), null)));
        clock.now += Duration.ofMinutes(59).toMillis();
        assertFalse(decider.decide(view(random(5), random(9))));
        assertEquals(new EarlyDataStats(5, 2, 0, 2, 0, 0, 1, 0), decider.stats());
    }
}
