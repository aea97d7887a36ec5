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
    public record Result(int sources, long periodMillis, int periods, long commands, double commandsPerSecond,
            double perSourcePerPeriod, long spreadMillis, long buildMillis) {
        @Override
        public String toString() {
            return String.format("%6d sources, period %d ms x %d: %d commands, %.1f/s on Redis, %.2f per source per "
                    + "period; every source held the new key %d ms after the boundary; built in %d ms", sources,
                    periodMillis, periods, commands, commandsPerSecond, perSourcePerPeriod, spreadMillis,
                    buildMillis);
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        Duration period = Duration.ofSeconds(4);
        int periods = 3;
        for (String arg : args) {
            if (arg.startsWith("--period=")) {
                period = Duration.ofSeconds(Long.parseLong(arg.substring(9)));
            } else if (arg.startsWith("--periods=")) {
                periods = Integer.parseInt(arg.substring(10));
            } else {
                sizes.add(Integer.parseInt(arg));
            }
        }
        for (int size : sizes.isEmpty() ? List.of(10, 100) : sizes) {
            try (RedisServer redis = RedisServer.start("--maxclients", "20000")) {
                System.out.println(run(redis, size, period, periods));
            }
        }
    }

    /** Runs {@code sources} sources on {@code redis} for {@code periods} periods of {@code period}. */
    public static Result run(RedisServer redis, int sources, Duration period, int periods)
            throws IOException, InterruptedException {
        SealingKey wrapping = SealingKey.generate("sim");
        List<FleetKeySource> fleet = new ArrayList<>();
        long built = System.nanoTime();
        try {
            for (int i = 0; i < sources; i++) {
                fleet.add(FleetKeySource.builder(redis.uri(), List.of(wrapping))
                        .rotateEvery(period)
                        .maxTicketAge(period.multipliedBy(2))
                        .timeout(Duration.ofSeconds(2))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build());
            }
            long buildMillis = (System.nanoTime() - built) / 1_000_000;
            long p = period.toMillis();
            // Start measuring at a period boundary.
            long boundary = (System.currentTimeMillis() / p + 1) * p;
            Thread.sleep(boundary - System.currentTimeMillis());
            RedisCli.run(redis.port(), "CONFIG", "RESETSTAT");
            long start = System.nanoTime();
            long spread = 0;
            for (int k = 0; k < periods; k++) {
                long at = boundary + k * p;
                spread = Math.max(spread, spread(fleet, at, p));
                long next = at + p;
                long wait = next - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long commands = commands(RedisCli.run(redis.port(), "INFO", "commandstats"));
            return new Result(sources, p, periods, commands, commands / seconds,
                    commands / (double) sources / periods, spread, buildMillis);
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
