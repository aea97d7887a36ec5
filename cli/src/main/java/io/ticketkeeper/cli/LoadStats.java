package io.ticketkeeper.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What {@code load}'s workers saw, counted as they go; read live for the progress line and at the end. */
final class LoadStats {
    /** The reason given for an offered session the server did not resume when the server says nothing. */
    static final String UNSAID = "the server does not say";

    private final LongAdder connections = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder resumed = new LongAdder();
    private final LongAdder renewed = new LongAdder();
    private final LongAdder offered = new LongAdder();
    private final LongAdder offeredResumed = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> notResumed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> versions = new ConcurrentHashMap<>();
    private final Map<Integer, TargetCounts> targets = new ConcurrentHashMap<>();
    private final LongAdder acrossOffered = new LongAdder();
    private final LongAdder acrossResumed = new LongAdder();
    private long[] latencies = new long[1024];

    /** What went to one target. */
    record TargetCounts(LongAdder connections, LongAdder failed, LongAdder offered, LongAdder offeredResumed) {
        TargetCounts() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
        }
    }
    private int latencyCount;
    /** Resumed connections whose request went as accepted early data (0-RTT), and the others resumed (1-RTT). */
    private final LongAdder earlyAccepted = new LongAdder();
    private final LongAdder earlyRejected = new LongAdder();
    private final Latencies zeroRtt = new Latencies();
    private final Latencies oneRtt = new Latencies();

    /** Durations, growing as needed. */
    static final class Latencies {
        private long[] values = new long[256];
        private int count;

        synchronized void add(long nanos) {
            if (count == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[count++] = nanos;
        }

        synchronized long[] sorted() {
            long[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /** One connection, {@code nanos} from its start to its end. */
    void record(ProbeConnection connection, long nanos) {
        connections.increment();
        latency(nanos);
        TargetCounts target = targets.computeIfAbsent(Math.max(0, connection.target()), t -> new TargetCounts());
        target.connections().increment();
        if (connection.offered()) {
            offered.increment();
            target.offered().increment();
        }
        if (connection.acrossTargets()) {
            acrossOffered.increment();
        }
        if (connection.failed()) {
            failed.increment();
            target.failed().increment();
            count(errors, kind(connection.error()));
            return;
        }
        count(versions, connection.version());
        if (connection.serverOutcome() != null) {
            count(outcomes, connection.serverOutcome());
        }
        if ("accepted".equals(connection.earlyData())) {
            earlyAccepted.increment();
        } else if ("rejected".equals(connection.earlyData())) {
            earlyRejected.increment();
        }
        if (connection.reused()) {
            ("accepted".equals(connection.earlyData()) ? zeroRtt : oneRtt).add(nanos);
            resumed.increment();
            if (connection.renewed()) {
                renewed.increment();
            }
        }
        if (connection.offered() && connection.reused()) {
            offeredResumed.increment();
            target.offeredResumed().increment();
            if (connection.acrossTargets()) {
                acrossResumed.increment();
            }
        }
        if (connection.offered() && !connection.reused()) {
            count(notResumed, reason(connection.serverOutcome()));
        }
    }

    /** A worker's first connection failed before it had a {@link ProbeConnection}. */
    void recordFailure(String error, long nanos) {
        recordFailure(error, nanos, 0);
    }

    /** A worker's first connection, to target {@code target}, failed before it had a {@link ProbeConnection}. */
    void recordFailure(String error, long nanos, int target) {
        record(ProbeConnection.failed(1, false, error).at(target, -1), nanos);
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private synchronized void latency(long nanos) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = nanos;
    }

    /** The kinds of failure a person tells apart, from a probe connection's message. */
    static String kind(String error) {
        String text = error.toLowerCase(Locale.ROOT);
        if (text.startsWith("unknown host")) {
            return "unknown host";
        }
        if (text.contains("refused")) {
            return "connection refused";
        }
        if (text.contains("timed out")) {
            return "timeout";
        }
        if (text.contains("handshake failed")) {
            return "handshake failed";
        }
        if (text.contains("closed the connection") || text.contains("reset")) {
            return "closed by the server";
        }
        return "other";
    }

    private static String reason(String outcome) {
        if (outcome == null) {
            return UNSAID;
        }
        return ResumptionOutcome.parse(outcome).map(ResumptionOutcome::description).orElse(outcome);
    }

    long connections() {
        return connections.sum();
    }

    long failed() {
        return failed.sum();
    }

    long resumed() {
        return resumed.sum();
    }

    long renewed() {
        return renewed.sum();
    }

    long offered() {
        return offered.sum();
    }

    long offeredResumed() {
        return offeredResumed.sum();
    }

    /** Sessions one target handed out offered to another (with more than one target, every offer is one). */
    long acrossOffered() {
        return acrossOffered.sum();
    }

    /** Of {@link #acrossOffered()}, those the other target resumed. */
    long acrossResumed() {
        return acrossResumed.sum();
    }

    /** Connections, failures, offers and resumptions by target index. */
    long[] target(int index) {
        TargetCounts counts = targets.get(index);
        return counts == null ? new long[4] : new long[] {counts.connections().sum(), counts.failed().sum(),
                counts.offered().sum(), counts.offeredResumed().sum()};
    }

    /** Failures by kind, sorted by kind. */
    Map<String, Long> errors() {
        return sums(errors);
    }

    /** Offered sessions the server did not resume, by the reason it gave. */
    Map<String, Long> notResumed() {
        return sums(notResumed);
    }

    /** Every completed connection by the outcome token the server sent ({@link ResumptionOutcome}). */
    Map<String, Long> outcomes() {
        return sums(outcomes);
    }

    Map<String, Long> versions() {
        return sums(versions);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> sums = new TreeMap<>();
        counts.forEach((key, count) -> sums.put(key, count.sum()));
        return sums;
    }

    long earlyAccepted() {
        return earlyAccepted.sum();
    }

    long earlyRejected() {
        return earlyRejected.sum();
    }

    /** Durations of resumed connections whose request went as accepted early data, sorted. */
    long[] zeroRttLatencies() {
        return zeroRtt.sorted();
    }

    /** Durations of resumed connections whose request went after the handshake, sorted. */
    long[] oneRttLatencies() {
        return oneRtt.sorted();
    }

    /** The connections' durations so far, sorted, in nanoseconds. */
    synchronized long[] sortedLatencies() {
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        return sorted;
    }
}
