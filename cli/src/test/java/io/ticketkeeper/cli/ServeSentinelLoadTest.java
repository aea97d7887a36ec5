package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.harness.RedisSentinel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ticketkeeper load} against two serve processes sharing ticket keys through Redis Sentinel, each worker's
 * connections going to the two in turn ({@code --target}), so every offered session was handed out by the other
 * serve; the Sentinel master is SIGKILLed a few seconds in, and keys rotate every 3 s through the failover.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServeSentinelLoadTest {
    private static final Duration LOAD = Duration.ofSeconds(16);
    private static final long KILL_AFTER_MILLIS = 4_000;

    @TempDir
    Path directory;

    @Test
    void loadAcrossTwoServesLosesNoResumptionThroughAFailover() throws Exception {
        try (ServeFleet fleet = new ServeFleet(directory, Duration.ofSeconds(3), Duration.ofSeconds(40))) {
            RedisSentinel sentinel = fleet.onSentinel(Path.of("target", "redis-ha-load"));
            ServeProcess a = fleet.serve("a");
            ServeProcess b = fleet.serve("b");
            long start = System.nanoTime();
            CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> CommandResult.run("load",
                    "127.0.0.1", String.valueOf(a.port()), "--target", "127.0.0.1:" + b.port(), "-c", "2",
                    "--rate", "40", "--resume", "100%", "-d", DurationConverter.format(LOAD), "--json", "-q"));
            Thread.sleep(KILL_AFTER_MILLIS);
            int oldMaster = sentinel.killMaster();
            long killedAt = System.nanoTime();
            int newMaster = sentinel.awaitNewMaster(oldMaster, 10_000);
            long promotedMillis = (System.nanoTime() - killedAt) / 1_000_000;
            CommandResult load = running.get(60, TimeUnit.SECONDS);
            long loadMillis = (System.nanoTime() - start) / 1_000_000;
            String logA = Files.readString(directory.resolve("a.log"));
            String logB = Files.readString(directory.resolve("b.log"));
            a.stop();
            b.stop();
            String json = load.out();
            long connections = LoadJson.number(json, "connections");
            long acrossOffered = LoadJson.number(json, "acrossOffered");
            long acrossResumed = LoadJson.number(json, "acrossResumed");
            System.out.printf("load on sentinel: master %d -> %d (promoted %d ms after the kill at %d ms); "
                    + "%d connections in %d ms, %d resumptions offered across the two serves, %d resumed, "
                    + "%d failed connections; not resumed: %s%n", oldMaster, newMaster, promotedMillis,
                    KILL_AFTER_MILLIS, connections, loadMillis, acrossOffered, acrossResumed,
                    LoadJson.number(json, "failed"), LoadJson.object(json, "notResumed"));
            assertEquals(0, load.exitCode(), json + load.err());
            assertEquals(0, LoadJson.number(json, "failed"), json);
            assertTrue(acrossOffered >= connections - 2 * 2 && acrossOffered > 100,
                    "every connection after a worker's first offers the other serve's session: " + json);
            assertEquals(LoadJson.number(json, "offered"), acrossOffered, json);
            assertEquals(acrossOffered, acrossResumed, "resumptions across servers lost: " + json);
            assertEquals("{}", LoadJson.object(json, "notResumed"), json);
            assertTrue(logA.contains("answers again") && logB.contains("answers again"),
                    "both serves should have lost and found Redis again:\n" + logA + "\n" + logB);
        }
    }
}
