package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.harness.RedisSentinel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two serve processes sharing ticket keys through Redis Sentinel (a master, two replicas, three sentinels), in
 * real time: every ticket one seals resumes on the other, before, through and after a SIGKILL of the master, with
 * no restart of either serve.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeSentinelTest {
    @TempDir
    Path directory;

    @Test
    void twoServesKeepResumingEachOthersTicketsThroughAFailover() throws Exception {
        try (ServeFleet fleet = new ServeFleet(directory, Duration.ofSeconds(3), Duration.ofSeconds(40))) {
            RedisSentinel sentinel = fleet.onSentinel(Path.of("target", "redis-ha"));
            ServeProcess a = fleet.serve("a");
            ServeProcess b = fleet.serve("b");
            List<String> failed = new ArrayList<>();
            int resumed = 0;
            long killedAt = 0;
            int oldMaster = 0;
            for (int round = 0; round < 7; round++) {
                fleet.awaitPeriod(Duration.ofMillis(1500));
                if (round == 2) {
                    oldMaster = sentinel.killMaster();
                    killedAt = System.nanoTime();
                }
                for (ServeProcess by : List.of(a, b)) {
                    ServeProcess on = by == a ? b : a;
                    ServeFleet.Sealed sealed = fleet.seal(by, TlsVersion.TLS1_3, "r" + round + (by == a ? "a" : "b"));
                    assertNotNull(sealed.ticketKey(), "round " + round + ": no ticket");
                    if (fleet.resumes(sealed, on)) {
                        resumed++;
                    } else {
                        failed.add("round " + round + ", sealed by " + (by == a ? "a" : "b"));
                    }
                }
            }
            int newMaster = sentinel.awaitNewMaster(oldMaster, 10_000);
            long followedMillis = -1;
            String logA = Files.readString(directory.resolve("a.log"));
            String logB = Files.readString(directory.resolve("b.log"));
            if (logA.contains("answers again") && logB.contains("answers again")) {
                followedMillis = (System.nanoTime() - killedAt) / 1_000_000;
            }
            a.stop();
            b.stop();
            System.out.printf("serve on sentinel: master %d -> %d; %d resumptions across two serves over 7 periods "
                    + "through the failover, %d failed; both logged Redis answering again: %s%n", oldMaster,
                    newMaster, resumed, failed.size(), followedMillis >= 0);
            assertEquals(List.of(), failed, "tickets that did not resume on the other serve");
            assertTrue(logA.contains("answers again") && logB.contains("answers again"),
                    "both serves should have lost and found Redis again:\n" + logA + "\n" + logB);
        }
    }
}
