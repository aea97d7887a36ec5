package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.TlsVersion;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code serve} processes sharing ticket keys through one real redis-server, with periods of a few seconds:
 * tickets sealed by any server resume on every other through rotations (TLS 1.2 and 1.3, {@code openssl
 * s_client}), a server that joins late and one whose clock runs 2 s ahead included; Redis stalled, killed for
 * several periods and restarted empty, with the handshakes timed; a server with the wrong wrapping key and a
 * tampered entry. Each test prints what it counted.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeFleetTest {
    private static final Pattern SEALED_BY = Pattern.compile("sealed-by=([0-9a-f]{8})");
    private static final List<TlsVersion> VERSIONS = List.of(TlsVersion.TLS1_2, TlsVersion.TLS1_3);

    @TempDir
    Path directory;

    /** What one test saw: resumptions across servers, and valid tickets that did not resume. */
    private static final class Tally {
        int resumed;
        final List<String> failed = new ArrayList<>();

        void check(ServeFleet fleet, ServeFleet.Sealed sealed, ServeProcess on, String what) throws Exception {
            if (fleet.resumes(sealed, on)) {
                resumed++;
            } else {
                failed.add(what + " (" + sealed.version() + ", sealed by " + sealed.ticketKey() + ")");
            }
        }
    }

    @Test
    void threeServesShareTheirKeysThroughTenRotations() throws Exception {
        Duration period = Duration.ofSeconds(3);
        try (ServeFleet fleet = new ServeFleet(directory, period, Duration.ofSeconds(40))) {
            ServeProcess a = fleet.serve("a");
            ServeProcess b = fleet.serve("b", "--clock-ahead", "2s");
            List<ServeProcess> serves = new ArrayList<>(List.of(a, b));
            List<String> names = new ArrayList<>(List.of("a", "b"));
            Tally tally = new Tally();
            int lateJoinResumed = 0;
            List<ServeFleet.Sealed> beforeRotation = List.of();
            ServeProcess c = null;
            Set<String> sealedByA = new HashSet<>();
            for (int round = 0; sealedByA.size() <= 10; round++) {
                assertTrue(round < 40, "ten rotations did not come: " + sealedByA);
                fleet.awaitPeriod(Duration.ofMillis(200));
                // Just after a rotation: what was sealed just before it resumes on every other server.
                for (ServeFleet.Sealed sealed : beforeRotation) {
                    for (ServeProcess on : serves) {
                        if (on != sealed.by()) {
                            tally.check(fleet, sealed, on, "round " + round + ", sealed before the rotation, on "
                                    + names.get(serves.indexOf(on)));
                        }
                    }
                }
                if (round == 2) {
                    c = fleet.serve("c");
                    for (ServeFleet.Sealed sealed : beforeRotation) {
                        assertTrue(fleet.resumes(sealed, c), "c did not open a ticket sealed before it started");
                        lateJoinResumed++;
                    }
                    serves.add(c);
                    names.add("c");
                }
                fleet.awaitPeriod(period.minusMillis(1300));
                List<ServeFleet.Sealed> sealedNow = new ArrayList<>();
                for (TlsVersion version : VERSIONS) {
                    for (ServeProcess by : serves) {
                        ServeFleet.Sealed sealed = fleet.seal(by, version, "r" + round + "-" + serves.indexOf(by)
                                + "-" + version);
                        assertNotNull(sealed.ticketKey(), "no ticket from " + names.get(serves.indexOf(by)));
                        sealedNow.add(sealed);
                        if (by == a) {
                            sealedByA.add(sealed.ticketKey());
                        }
                        for (ServeProcess on : serves) {
                            if (on != by) {
                                tally.check(fleet, sealed, on, "round " + round + ", fresh, on "
                                        + names.get(serves.indexOf(on)));
                            }
                        }
                    }
                }
                beforeRotation = sealedNow;
            }
            Set<String> sealingKeys = new HashSet<>();
            for (ServeProcess serve : serves) {
                String log = serve.stop();
                Matcher matcher = SEALED_BY.matcher(log);
                while (matcher.find()) {
                    sealingKeys.add(matcher.group(1));
                }
                assertTrue(log.contains("refused 0"), log);
            }
            System.out.println("fleet of three: " + tally.resumed + " resumptions across servers (+" + lateJoinResumed
                    + " on the late joiner of tickets sealed before it started), " + tally.failed.size()
                    + " failed, through " + (sealedByA.size() - 1) + " rotations (" + sealingKeys.size()
                    + " sealing keys in the logs)");
            assertEquals(List.of(), tally.failed, "valid tickets that did not resume");
            assertNotNull(c);
            assertTrue(lateJoinResumed > 0);
        }
    }

    @Test
    void aStalledThenKilledRedisDelaysNoHandshakeAndTheFleetConvergesAfterAnEmptyRestart() throws Exception {
        Duration period = Duration.ofSeconds(3);
        // The tickets sealed before the outage are checked some 30 s later (longer on a loaded machine): a maximum
        // age well past that keeps them valid, so a refusal can only be the fleet's. The outage rule's phases do
        // not depend on it (outage sealing is one period).
        try (ServeFleet fleet = new ServeFleet(directory, period, Duration.ofSeconds(90))) {
            ServeProcess a = fleet.serve("a");
            ServeProcess b = fleet.serve("b");
            HandshakeTimes times = new HandshakeTimes(fleet.certificate.certificate());
            times.warmUp(10, a.port(), b.port());
            Tally tally = new Tally();
            List<ServeFleet.Sealed> beforeOutage = new ArrayList<>();
            for (TlsVersion version : VERSIONS) {
                beforeOutage.add(fleet.seal(a, version, "before-" + version));
            }
            exercise(fleet, a, b, times, tally, Duration.ofSeconds(3), "before");
            Duration before = times.reset();

            fleet.redis.pause();
            exercise(fleet, a, b, times, tally, Duration.ofSeconds(4), "stalled");
            Duration stalled = times.reset();
            fleet.redis.resume();
            Thread.sleep(period.toMillis());

            // A key made just before the kill could be held by its maker alone: what this test measures is the
            // outage rule for the keys the fleet shares.
            fleet.waitUntilEveryServeHoldsTheNewestKey(period);
            fleet.redis.kill();
            // Two staged periods, one of outage sealing, then at least a second and a half without a key.
            int noTicket = exercise(fleet, a, b, times, tally, period.multipliedBy(4).plusMillis(1500), "down");
            Duration down = times.reset();
            for (ServeFleet.Sealed sealed : beforeOutage) {
                tally.check(fleet, sealed, b, "sealed before the outage");
            }

            fleet.restartRedisEmpty();
            long restarted = System.nanoTime();
            boolean converged = false;
            while (!converged && System.nanoTime() - restarted < TimeUnit.SECONDS.toNanos(10)) {
                ServeFleet.Sealed onA = fleet.seal(a, TlsVersion.TLS1_3, "after-a");
                ServeFleet.Sealed onB = fleet.seal(b, TlsVersion.TLS1_2, "after-b");
                converged = onA.ticketKey() != null && onA.ticketKey().equals(onB.ticketKey())
                        && fleet.resumes(onA, b) && fleet.resumes(onB, a);
            }
            Duration convergence = Duration.ofNanos(System.nanoTime() - restarted);
            assertTrue(converged, "the fleet did not converge within 10 s of Redis restarting empty");
            assertTrue(fleet.periodsInRedis().size() >= 3, "the keys were not written back: "
                    + fleet.periodsInRedis());
            String logA = a.stop();
            String logB = b.stop();

            System.out.println("outage: worst full handshake before " + HandshakeTimes.millis(before)
                    + ", Redis stalled " + HandshakeTimes.millis(stalled) + ", Redis down "
                    + HandshakeTimes.millis(down) + "; "
                    + tally.resumed + " resumptions across servers, " + tally.failed.size() + " failed, " + noTicket
                    + " connections without a ticket once no key could seal; converged "
                    + HandshakeTimes.millis(convergence) + " after the empty restart");
            assertEquals(List.of(), tally.failed, "valid tickets that did not resume");
            for (Duration worst : List.of(stalled, down)) {
                assertTrue(worst.compareTo(Duration.ofMillis(900)) < 0, "a handshake waited on Redis: "
                        + HandshakeTimes.millis(worst) + " (before the outage " + HandshakeTimes.millis(before) + ")");
            }
            assertTrue(noTicket > 0, "the outage never outlasted the keys: the last phase was not reached");
            for (String log : List.of(logA, logB)) {
                assertTrue(log.contains("keys: source down"), log);
                assertTrue(log.contains("keys: source up"), log);
            }
        }
    }

    /**
     * For {@code length}: full handshakes timed on both servers, and tickets sealed on one resumed on the other;
     * returns how many connections got no ticket (no key could seal).
     */
    private static int exercise(ServeFleet fleet, ServeProcess a, ServeProcess b, HandshakeTimes times, Tally tally,
            Duration length, String phase) throws Exception {
        long end = System.nanoTime() + length.toNanos();
        int noTicket = 0;
        int round = 0;
        while (System.nanoTime() < end) {
            times.handshake(a.port());
            times.handshake(b.port());
            TlsVersion version = VERSIONS.get(round % 2);
            ServeProcess by = round % 4 < 2 ? a : b;
            ServeFleet.Sealed sealed = fleet.seal(by, version, phase + "-" + round);
            if (sealed.ticketKey() == null) {
                noTicket++;
            } else {
                tally.check(fleet, sealed, by == a ? b : a, phase + " round " + round);
            }
            round++;
            Thread.sleep(150);
        }
        return noTicket;
    }

    @Test
    void aServeWithTheWrongWrappingKeyAndATamperedEntryChangeNothingForTheOthers() throws Exception {
        Duration period = Duration.ofSeconds(3);
        try (ServeFleet fleet = new ServeFleet(directory, period, Duration.ofSeconds(30))) {
            ServeProcess a = fleet.serve("a");
            ServeProcess b = fleet.serve("b");
            Path otherKey = fleet.keygen("other.key");
            ServeProcess wrong = fleet.serve("wrong", "--fleet-key-file", otherKey.toString());
            Tally tally = new Tally();
            assertTrue(wrong.output().contains("reads only: none of this node's wrapping keys"), wrong.output());
            assertNull(fleet.seal(wrong, TlsVersion.TLS1_3, "wrong").ticketKey(), "a server without keys sealed");

            // Spoil a key both good servers already hold: one spoiled at once may reach one server only as the
            // spoiled entry, and that server then cannot open what the other seals with it.
            long newest = fleet.waitUntilEveryServeHoldsTheNewestKey(period);
            byte[] name = (ServeFleet.PREFIX + "key:" + newest).getBytes(StandardCharsets.UTF_8);
            byte[] entry = fleet.raw().get(name);
            entry[entry.length - 3] ^= 0x40;
            fleet.raw().set(name, entry);
            // Until the tampered key's period has come and gone, tickets keep resuming between the good servers.
            long until = System.nanoTime() + period.multipliedBy(4).toNanos();
            int round = 0;
            while (System.nanoTime() < until) {
                ServeFleet.Sealed sealed = fleet.seal(round % 2 == 0 ? a : b, VERSIONS.get(round / 2 % 2), "t" + round);
                tally.check(fleet, sealed, round % 2 == 0 ? b : a, "round " + round);
                round++;
                Thread.sleep(300);
            }
            List<String> logs = new ArrayList<>();
            for (ServeProcess serve : List.of(a, b, wrong)) {
                logs.add(serve.stop());
            }
            String tampered = "keys: refused " + ServeFleet.PREFIX + "key:" + newest + " (does not authenticate";
            for (String log : logs.subList(0, 2)) {
                assertEquals(1, occurrences(log, tampered), "the tampered entry was not refused exactly once: " + log);
                assertTrue(log.contains("refused 1,"), log);
            }
            String wrongLog = logs.get(2);
            Matcher refused = Pattern.compile("fleet keys fetched 0, refused (\\d+)").matcher(wrongLog);
            assertTrue(refused.find(), wrongLog);
            System.out.println("refusals: the good servers refused the tampered entry once each and resumed "
                    + tally.resumed + " tickets across each other (" + tally.failed.size() + " failed); the server "
                    + "with the wrong wrapping key refused " + refused.group(1) + " entries and sealed nothing");
            assertEquals(List.of(), tally.failed, "valid tickets that did not resume");
            assertTrue(Integer.parseInt(refused.group(1)) >= 3, wrongLog);
            assertTrue(wrongLog.contains("keys: refused " + ServeFleet.PREFIX + "key:"), wrongLog);
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
