package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.ManualClock;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code load} against a real {@code serve} (in this process, so its counters can be read): every connection
 * completes, every offered session resumes, and what load saw equals what serve and its TicketKeeper handle
 * counted; a session the policy refuses is reported by the reason serve gives; refusals of the command itself.
 */
class LoadCommandTest {
    private static CommandResult load(int port, String... flags) {
        String[] args = new String[flags.length + 3];
        args[0] = "load";
        args[1] = "127.0.0.1";
        args[2] = String.valueOf(port);
        System.arraycopy(flags, 0, args, 3, flags.length);
        return CommandResult.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--tls1.2", "--tls1.3"})
    void whatLoadSawIsWhatServeCounted(String version) throws Exception {
        HttpsResponder serve = HttpsResponder.start(ServerSettings.builder().port(0).build(), event -> { });
        CommandResult load;
        try {
            load = load(serve.port(), "-c", "4", "-n", "120", "--resume", "75%", version, "--json", "-q");
        } finally {
            serve.close();
        }
        String json = load.out();
        assertEquals(0, load.exitCode(), json + load.err());
        assertEquals(120, LoadJson.number(json, "connections"), json);
        assertEquals(0, LoadJson.number(json, "failed"), json);
        long offered = LoadJson.number(json, "offered");
        long resumed = LoadJson.number(json, "resumed");
        assertTrue(offered > 40 && offered < 116, "about 75% of 116 reconnections offer a session: " + json);
        assertEquals(offered, LoadJson.number(json, "offeredResumed"), json);
        assertEquals(offered, resumed, json);
        assertEquals("{}", LoadJson.object(json, "notResumed"));
        assertEquals(resumed, LoadJson.number(json, "resumed-ticket"), json);
        assertEquals(120 - resumed, LoadJson.number(json, "no-ticket"), json);

        ServeCounters counters = serve.counters();
        TicketStats tickets = serve.handle().stats();
        assertEquals(120, counters.connections(), serve.summary());
        assertEquals(resumed, counters.resumed(), serve.summary());
        assertEquals(120 - resumed, counters.full(), serve.summary());
        assertEquals(LoadJson.number(json, "renewed"), counters.renewed(), serve.summary());
        assertEquals(resumed, tickets.resumed(), serve.summary());
        assertEquals(0, counters.failed(), serve.summary());
    }

    /**
     * serve's clock jumps a day ahead after its 20th connection: the sessions issued before are past --max-age, and
     * load reports each one it offered as refused by the policy, as many as serve's handle counted.
     */
    @Test
    void refusedSessionsAreReportedByTheReasonServeGives() throws Exception {
        ManualClock clock = new ManualClock();
        AtomicBoolean jumped = new AtomicBoolean();
        HttpsResponder[] serve = new HttpsResponder[1];
        serve[0] = HttpsResponder.start(ServerSettings.builder().port(0).clock(clock).build(), event -> {
            if (event.number() >= 20 && jumped.compareAndSet(false, true)) {
                clock.advance(Duration.ofDays(1));
            }
        });
        CommandResult load;
        try {
            load = load(serve[0].port(), "-c", "2", "-n", "60", "--resume", "100%", "--tls1.2", "-q");
        } finally {
            serve[0].close();
        }
        TicketStats tickets = serve[0].handle().stats();
        assertEquals(0, load.exitCode(), load.out() + load.err());
        assertTrue(tickets.rejectedByPolicy() > 0, serve[0].summary());
        assertTrue(load.out().contains("not resumed  " + ResumptionOutcome.SESSION_REFUSED.description() + " "
                + tickets.rejectedByPolicy() + "\n"), load.out() + "\n" + serve[0].summary());
        assertTrue(load.out().contains("errors       none"), load.out());
    }

    @Test
    void failedConnectionsAreCountedByKind() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CommandResult load = load(closedPort, "-c", "1", "-n", "3", "--json", "-q");
        assertEquals(1, load.exitCode(), load.out() + load.err());
        assertEquals(3, LoadJson.number(load.out(), "failed"), load.out());
        assertEquals(3, LoadJson.number(load.out(), "connection refused"), load.out());
    }

    @Test
    void refusesAHighRateToAnotherHostUnlessAllowed() throws Exception {
        CommandResult load = CommandResult.run("load", "192.0.2.1", "443", "--rate", "500", "-n", "1");
        assertEquals(2, load.exitCode(), load.out() + load.err());
        assertTrue(load.err().contains("refusing 500 connections per second to 192.0.2.1"), load.err());
        assertTrue(load.err().contains("--allow-high-rate"), load.err());
        assertEquals(LoadSettings.REMOTE_RATE, LoadSettings.boundedRate("192.0.2.1", 0, false));
        assertEquals(40, LoadSettings.boundedRate("192.0.2.1", 40, false));
        assertEquals(500, LoadSettings.boundedRate("192.0.2.1", 500, true));
        assertEquals(0, LoadSettings.boundedRate("127.0.0.1", 0, false), "no limit on loopback");
        assertEquals(0, LoadSettings.boundedRate("::1", 0, false), "no limit on loopback");
    }

    @Test
    void refusesContradictoryOrOutOfRangeSettings() {
        CommandResult both = CommandResult.run("load", "127.0.0.1", "1", "-d", "1s", "-n", "5");
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("not both"), both.err());
        CommandResult share = CommandResult.run("load", "127.0.0.1", "1", "--resume", "120%");
        assertEquals(2, share.exitCode());
        assertTrue(share.err().contains("'120%' is not a share"), share.err());
        CommandResult many = CommandResult.run("load", "127.0.0.1", "1", "-c", "100000");
        assertEquals(2, many.exitCode());
        assertTrue(many.err().contains("--connections must be between 1 and"), many.err());
    }

    @Test
    void aPacerKeepsToItsRate() throws Exception {
        Pacer pacer = new Pacer(50);
        long start = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            pacer.await();
        }
        assertTrue(System.nanoTime() - start >= 195_000_000L, "11 slots at 50/s span at least 200 ms");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, LoadReport.percentile(sorted, 50));
        assertEquals(99, LoadReport.percentile(sorted, 99));
        assertEquals(7, LoadReport.percentile(new long[] {7}, 99));
    }
}
