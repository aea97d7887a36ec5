package io.ticketkeeper.harness;

import io.ticketkeeper.ScheduledKey;
import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.session.redis.SealingKey;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The fleet's cost on one real redis-server: N fleet key sources in this JVM (each with its own client and
 * connections, real time), measuring Redis commands per second (INFO commandstats), commands per server per
 * period, and the time from a period boundary until every source holds the key made at it. Run:
 * {@code java -cp <harness and its dependencies> io.ticketkeeper.harness.FleetSimulation 10 100 1000
 * [periodSeconds] [periods]}. A program, not a timed test: FleetSimulationTest runs the smallest size.
 */
public final class FleetSimulation {
    private FleetSimulation() {
    }

    /** One size's figures. */
    public record Result(int sources, long periodMillis, long jitterMillis, int periods, long commands,
            double commandsPerSecond, double perSourcePerPeriod, long spreadMillis, long herd, long buildMillis) {
        @Override
        public String toString() {
            return String.format("%6d sources, period %d ms, jitter %d ms, x %d: %d commands, %.1f/s on Redis, %.2f "
                    + "per source per period; every source held the new key %d ms after the boundary; the busiest "
                    + "100 ms after a boundary: %d commands; built in %d ms", sources, periodMillis, jitterMillis,
                    periods, commands, commandsPerSecond, perSourcePerPeriod, spreadMillis, herd, buildMillis);
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        Duration period = Duration.ofSeconds(4);
        Duration jitter = null;
        int periods = 3;
        for (String arg : args) {
            if (arg.startsWith("--jitter-ms=")) {
                jitter = Duration.ofMillis(Long.parseLong(arg.substring(12)));
            } else if (arg.startsWith("--period=")) {
                period = Duration.ofSeconds(Long.parseLong(arg.substring(9)));
            } else if (arg.startsWith("--periods=")) {
                periods = Integer.parseInt(arg.substring(10));
            } else {
                sizes.add(Integer.parseInt(arg));
            }
        }
        for (int size : sizes.isEmpty() ? List.of(10, 100) : sizes) {
            try (RedisServer redis = RedisServer.start("--maxclients", "20000")) {
                System.out.println(run(redis, size, period, jitter, periods));
            }
        }
    }

    /**
     * Runs {@code sources} sources on {@code redis} for {@code periods} periods of {@code period}, with
     * {@code jitter} on announcements (null: the default).
     */
    public static Result run(RedisServer redis, int sources, Duration period, Duration jitter, int periods)
            throws IOException, InterruptedException {
        SealingKey wrapping = SealingKey.generate("sim");
        List<FleetKeySource> fleet = new ArrayList<>();
        long built = System.nanoTime();
        try {
            for (int i = 0; i < sources; i++) {
                FleetKeySource.Builder builder = FleetKeySource.builder(redis.uri(), List.of(wrapping))
                        .rotateEvery(period)
                        .maxTicketAge(period.multipliedBy(2))
                        .timeout(Duration.ofSeconds(2))
                        .connectTimeout(Duration.ofSeconds(10));
                if (jitter != null) {
                    builder.announceJitter(jitter);
                }
                fleet.add(builder.build());
            }
            long buildMillis = (System.nanoTime() - built) / 1_000_000;
            long p = period.toMillis();
            // Start measuring at a period boundary.
            long boundary = (System.currentTimeMillis() / p + 1) * p;
            Thread.sleep(boundary - System.currentTimeMillis());
            RedisCli.run(redis.port(), "CONFIG", "RESETSTAT");
            long start = System.nanoTime();
            long spread = 0;
            long herd = 0;
            for (int k = 0; k < periods; k++) {
                long at = boundary + k * p;
                Herd watch = new Herd(redis.port(), Math.min(p - 200, 3000));
                watch.start();
                spread = Math.max(spread, spread(fleet, at, p));
                watch.join();
                herd = Math.max(herd, watch.busiest);
                long next = at + p;
                long wait = next - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long commands = commands(RedisCli.run(redis.port(), "INFO", "commandstats"));
            return new Result(sources, p, jitter == null ? -1 : jitter.toMillis(), periods, commands,
                    commands / seconds, commands / (double) sources / periods, spread, herd, buildMillis);
        } finally {
            fleet.forEach(FleetKeySource::close);
        }
    }

    /** The milliseconds from {@code boundary} until every source holds the key made at it (two periods ahead). */
    private static long spread(List<FleetKeySource> fleet, long boundary, long period)
            throws InterruptedException {
        long deadline = boundary + period - 50;
        while (System.currentTimeMillis() < deadline) {
            Set<String> newest = new HashSet<>();
            boolean all = true;
            for (FleetKeySource source : fleet) {
                List<ScheduledKey> keys = source.refresh(System.currentTimeMillis(), List.of());
                ScheduledKey last = keys.stream().max((a, b) -> a.notBefore().compareTo(b.notBefore()))
                        .orElse(null);
                if (last == null || last.notBefore().toEpochMilli() < boundary + 2 * period) {
                    all = false;
                    break;
                }
                newest.add(HexFormat.of().formatHex(last.key().name()));
            }
            if (all) {
                if (newest.size() != 1) {
                    throw new IllegalStateException("the sources hold " + newest.size() + " keys for one period");
                }
                return System.currentTimeMillis() - boundary;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("not every source held the new key within the period");
    }

    /** Samples Redis's command count every 20 ms for a while after a boundary: the busiest 100 ms. */
    private static final class Herd extends Thread {
        private final int port;
        private final long millis;
        volatile long busiest;

        Herd(int port, long millis) {
            this.port = port;
            this.millis = millis;
            setDaemon(true);
        }

        @Override
        public void run() {
            List<long[]> samples = new ArrayList<>();
            long end = System.currentTimeMillis() + millis;
            try {
                while (System.currentTimeMillis() < end) {
                    samples.add(new long[] {System.currentTimeMillis(),
                        commands(RedisCli.run(port, "INFO", "commandstats"))});
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException e) {
                return;
            }
            long most = 0;
            for (int i = 0; i < samples.size(); i++) {
                for (int j = i + 1; j < samples.size() && samples.get(j)[0] - samples.get(i)[0] <= 100; j++) {
                    most = Math.max(most, samples.get(j)[1] - samples.get(i)[1]);
                }
            }
            busiest = most;
        }
    }

    /** The sum of {@code calls=} over INFO commandstats, less the INFO/CONFIG calls this program made. */
    private static long commands(String commandstats) {
        long total = 0;
        for (String line : commandstats.split("\r?\n")) {
            int calls = line.indexOf("calls=");
            if (calls < 0 || line.startsWith("cmdstat_info") || line.startsWith("cmdstat_config")) {
                continue;
            }
            int end = line.indexOf(',', calls);
            total += Long.parseLong(line.substring(calls + 6, end));
        }
        return total;
    }
}
