package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;
import io.ticketkeeper.harness.RedisServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve (its own process, a fixed and pre-touched heap) under load: 32 connections at once (16 TLS 1.2, 16 TLS
 * 1.3), 80 % of them offering a session, for {@value #DEFAULT_SECONDS} s per run or {@code TICKETKEEPER_SOAK}
 * (e.g. {@code 10m}; {@code .ci/run --soak 10m} sets it). Three runs: generated keys rotating every 2 s; a key file
 * replaced every 5 s; a Redis session store (tickets off) restarted halfway. Each must end with no failed
 * handshake, no valid ticket refused, serve's counters equal to what load saw, and serve's resident memory and open
 * files flat after the first third (the figures are printed).
 */
class SoakTest {
    static final int DEFAULT_SECONDS = 30;
    private static final int CONNECTIONS_PER_VERSION = 16;
    private static final double RESUME_SHARE = 0.8;
    private static final List<String> SERVE_JVM = List.of("-Xms160m", "-Xmx160m", "-XX:+AlwaysPreTouch");
    private static final Pattern SUMMARY = Pattern.compile("stopped; (\\d+) connections: (\\d+) full handshakes, "
            + "(\\d+) resumed \\((\\d+) renewed\\), (\\d+) failed; tickets sealed (\\d+), resumed (\\d+), renewed "
            + "(\\d+), rejected (\\d+) \\(unknown key\\) \\+ (\\d+) \\(policy\\), aborted (\\d+), errors (\\d+)");
    private static final Pattern CACHE = Pattern.compile("session cache lookups (\\d+), hits (\\d+), misses (\\d+), "
            + "stored (\\d+), store failures (\\d+)");

    @TempDir
    Path directory;

    static Duration runLength() {
        String configured = System.getenv("TICKETKEEPER_SOAK");
        return configured == null || configured.isBlank() ? Duration.ofSeconds(DEFAULT_SECONDS)
                : new DurationConverter().convert(configured);
    }

    /** What load saw in both of its runs (one per version), added up. */
    private record Seen(long connections, long failed, long resumed, long renewed, long offered, long offeredResumed,
            Map<String, Long> notResumed) {
        static Seen of(List<LoadReport> reports) {
            long connections = 0;
            long failed = 0;
            long resumed = 0;
            long renewed = 0;
            long offered = 0;
            long offeredResumed = 0;
            Map<String, Long> notResumed = new java.util.TreeMap<>();
            for (LoadReport report : reports) {
                LoadStats stats = report.stats();
                connections += stats.connections();
                failed += stats.failed();
                resumed += stats.resumed();
                renewed += stats.renewed();
                offered += stats.offered();
                offeredResumed += stats.offeredResumed();
                stats.notResumed().forEach((reason, count) -> notResumed.merge(reason, count, Long::sum));
            }
            return new Seen(connections, failed, resumed, renewed, offered, offeredResumed, notResumed);
        }
    }

    /** serve's closing line, read back: its own counters and its TicketKeeper handle's. */
    private record Counted(long connections, long full, long resumed, long renewed, long failed, long ticketsResumed,
            long ticketsRenewed, long rejectedUnknown, long rejectedPolicy, long aborted, long errors, long cacheHits,
            long storeFailures) {
        static Counted from(String output) {
            Matcher summary = SUMMARY.matcher(output);
            assertTrue(summary.find(), "no counters in serve's output:\n" + tail(output));
            Matcher cache = CACHE.matcher(output);
            boolean hasCache = cache.find();
            return new Counted(number(summary, 1), number(summary, 2), number(summary, 3), number(summary, 4),
                    number(summary, 5), number(summary, 7), number(summary, 8), number(summary, 9),
                    number(summary, 10), number(summary, 11), number(summary, 12),
                    hasCache ? number(cache, 2) : -1, hasCache ? number(cache, 5) : -1);
        }

        private static long number(Matcher matcher, int group) {
            return Long.parseLong(matcher.group(group));
        }
    }

    @Test
    void keysRotatingEveryTwoSeconds() throws Exception {
        soak("rotation", new String[] {"--rotate-every", "2s"}, () -> { }, true);
    }

    @Test
    void keyFileReplacedEveryFiveSeconds() throws Exception {
        Path key = directory.resolve("ticket.key");
        writeKey(key);
        soak("key file", new String[] {"--key-file", key.toString()}, every(Duration.ofSeconds(5), () -> writeKey(key)),
                true);
    }

    @Test
    void redisStoreRestartedHalfway() throws Exception {
        RedisServer[] redis = {RedisServer.start()};
        Path sessionKey = directory.resolve("session.key");
        assertEquals(0, CommandResult.run("keygen", "--format", "session", sessionKey.toString()).exitCode());
        try {
            Duration half = runLength().dividedBy(2);
            soak("redis restart", new String[] {"--no-tickets", "--session-cache", redis[0].uri(),
                    "--session-key-file", sessionKey.toString()}, () -> {
                        Thread.sleep(half.toMillis());
                        redis[0] = redis[0].restart();
                        System.out.println("soak: redis restart: restarted redis-server on port " + redis[0].port());
                    }, false);
        } finally {
            redis[0].close();
        }
    }

    /** A task that does {@code step} every {@code period} until interrupted. */
    private static ThrowingRunnable every(Duration period, ThrowingRunnable step) {
        return () -> {
            while (true) {
                Thread.sleep(period.toMillis());
                step.run();
            }
        };
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A fresh 80-byte key, swapped in whole as keygen --force does. */
    private static void writeKey(Path key) throws Exception {
        byte[] bytes = new byte[80];
        new SecureRandom().nextBytes(bytes);
        Path next = key.resolveSibling(key.getFileName() + ".next");
        Files.write(next, bytes);
        Files.move(next, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void soak(String name, String[] serveFlags, ThrowingRunnable meanwhile, boolean tickets) throws Exception {
        Duration length = runLength();
        Path log = directory.resolve(name.replace(' ', '-') + ".log");
        List<String> flags = new ArrayList<>(List.of(serveFlags));
        flags.add("--quiet");
        flags.add("--max-connections");
        flags.add(String.valueOf(2 * CONNECTIONS_PER_VERSION + 8));
        ServeProcess serve = ServeProcess.start(log, SERVE_JVM, flags.toArray(String[]::new));
        List<LoadReport> reports = new ArrayList<>();
        ProcessSampler.Sample idleBefore;
        ProcessSampler.Sample idleAfter;
        List<ProcessSampler.Sample> warm;
        String output;
        try (ProcessSampler sampler = new ProcessSampler(serve.pid())) {
            idleBefore = sampler.sample();
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                List<Future<LoadReport>> loads = new ArrayList<>();
                for (TlsVersion version : TlsVersion.values()) {
                    loads.add(threads.submit(load(serve.port(), version, length)));
                }
                Future<?> side = threads.submit(() -> {
                    meanwhile.run();
                    return null;
                });
                for (Future<LoadReport> load : loads) {
                    reports.add(load.get());
                }
                side.cancel(true);
                if (side.isDone() && !side.isCancelled()) {
                    side.get(); // a side task that failed fails the test
                }
            } finally {
                threads.shutdownNow();
            }
            Thread.sleep(2000); // connections closing, sockets released
            idleAfter = sampler.sample();
            double seconds = length.toMillis() / 1000.0;
            warm = sampler.between(seconds / 3, seconds + 1);
        } finally {
            output = serve.stop();
            serve.close();
        }
        Seen seen = Seen.of(reports);
        Counted counted = Counted.from(output);
        report(name, length, seen, counted, idleBefore, idleAfter, warm);

        assertEquals(0, seen.failed(), name + ": failed connections: " + reports.get(0).summary() + "\n"
                + reports.get(1).summary());
        assertEquals(0, counted.failed(), name + ": serve counted failures:\n" + tail(output));
        assertEquals(seen.connections(), counted.connections(), name + ": connections");
        assertEquals(seen.resumed(), counted.resumed(), name + ": resumed");
        assertEquals(seen.connections() - seen.resumed(), counted.full(), name + ": full handshakes");
        assertEquals(0, counted.aborted() + counted.errors(), name + ": aborts and errors:\n" + tail(output));
        if (tickets) {
            assertEquals(Map.of(), seen.notResumed(), name + ": every offered ticket was inside its key's life");
            assertEquals(0, counted.rejectedUnknown() + counted.rejectedPolicy(), name + ": tickets rejected");
            assertEquals(seen.renewed(), counted.renewed(), name + ": resumed with a new ticket");
            assertEquals(seen.resumed(), counted.ticketsResumed(), name + ": the handle's resumed tickets");
            assertEquals(seen.renewed(), counted.ticketsRenewed(), name + ": the handle's renewed tickets");
        } else {
            assertEquals(seen.resumed(), counted.cacheHits(), name + ": the store's hits are the resumptions");
            assertTrue(seen.notResumed().keySet().stream().allMatch(
                    reason -> reason.equals(ResumptionOutcome.NO_TICKET.description())),
                    name + ": a session is only ever lost, never refused: " + seen.notResumed());
        }
        assertTrue(idleAfter.fds() <= idleBefore.fds() + 2, name + ": open files before " + idleBefore.fds()
                + ", after " + idleAfter.fds());
        long rssAtWarm = warm.get(0).rssKib();
        long rssMax = warm.stream().mapToLong(ProcessSampler.Sample::rssKib).max().orElseThrow();
        assertTrue(rssMax - rssAtWarm <= Math.max(rssAtWarm / 10, 16 * 1024), name + ": resident memory grew from "
                + rssAtWarm + " KiB to " + rssMax + " KiB after warm-up");
        int fdsMax = warm.stream().mapToInt(ProcessSampler.Sample::fds).max().orElseThrow();
        assertTrue(fdsMax <= idleBefore.fds() + 2 * (2 * CONNECTIONS_PER_VERSION) + 8, name + ": open files peaked at "
                + fdsMax + " with " + 2 * CONNECTIONS_PER_VERSION + " connections");
    }

    private static Callable<LoadReport> load(int port, TlsVersion version, Duration length) {
        LoadSettings settings = new LoadSettings("127.0.0.1", port, CONNECTIONS_PER_VERSION, length, 0, RESUME_SHARE,
                VersionRange.only(version), null, Duration.ofSeconds(10), 0);
        return () -> new LoadRun(settings).run(progress -> { });
    }

    /** The figures, for the CI log and the report. */
    private static void report(String name, Duration length, Seen seen, Counted counted,
            ProcessSampler.Sample idleBefore, ProcessSampler.Sample idleAfter, List<ProcessSampler.Sample> warm) {
        long rssMin = warm.stream().mapToLong(ProcessSampler.Sample::rssKib).min().orElse(-1);
        long rssMax = warm.stream().mapToLong(ProcessSampler.Sample::rssKib).max().orElse(-1);
        int fdsMax = warm.stream().mapToInt(ProcessSampler.Sample::fds).max().orElse(-1);
        System.out.printf(Locale.ROOT, "soak: %s, %s: %,d connections (%,.0f/s), %,d failed; offered %,d, resumed "
                + "%,d of them; not resumed %s; serve counted %,d connections, %,d resumed, %,d full, %,d failed, "
                + "tickets resumed %,d, rejected %,d + %,d, store hits %,d, store failures %,d%n", name,
                DurationConverter.format(length), seen.connections(), seen.connections() / (double) length.toSeconds(),
                seen.failed(), seen.offered(), seen.offeredResumed(), seen.notResumed(), counted.connections(),
                counted.resumed(), counted.full(), counted.failed(), counted.ticketsResumed(),
                counted.rejectedUnknown(), counted.rejectedPolicy(), counted.cacheHits(), counted.storeFailures());
        System.out.printf(Locale.ROOT, "soak: %s: serve RSS after warm-up %,d..%,d KiB (first %,d, last %,d); open "
                + "files idle before %d, after %d, at most %d under load%n", name, rssMin, rssMax,
                warm.isEmpty() ? -1 : warm.get(0).rssKib(), warm.isEmpty() ? -1 : warm.get(warm.size() - 1).rssKib(),
                idleBefore.fds(), idleAfter.fds(), fdsMax);
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 20), lines.length));
    }
}
