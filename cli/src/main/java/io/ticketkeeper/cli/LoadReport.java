package io.ticketkeeper.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code load}'s figures at one moment: the live progress line, the summary at the end, or one JSON object. */
final class LoadReport {
    private static final double[] PERCENTILES = {50, 90, 99};

    private final LoadSettings settings;
    private final LoadStats stats;
    private final long elapsedNanos;

    LoadReport(LoadSettings settings, LoadStats stats, long elapsedNanos) {
        this.settings = settings;
        this.stats = stats;
        this.elapsedNanos = elapsedNanos;
    }

    LoadStats stats() {
        return stats;
    }

    double seconds() {
        return elapsedNanos / 1e9;
    }

    /** Completed handshakes per second. */
    double handshakesPerSecond() {
        return (stats.connections() - stats.failed()) / Math.max(seconds(), 1e-9);
    }

    /** The share of offered sessions the server resumed; NaN when none was offered. */
    double achievedShare() {
        return stats.offered() == 0 ? Double.NaN : (double) stats.offeredResumed() / stats.offered();
    }

    /** 0 when every connection completed, 1 when any failed. */
    int exitCode() {
        return stats.failed() == 0 ? 0 : 1;
    }

    String progressLine() {
        return String.format(Locale.ROOT, "load: %.0fs: %,d connections (%,.0f/s), resumed %s of %,d offered, %,d errors",
                seconds(), stats.connections(), handshakesPerSecond(), percent(achievedShare()), stats.offered(),
                stats.failed());
    }

    String summary() {
        long[] latencies = stats.sortedLatencies();
        StringBuilder text = new StringBuilder();
        text.append("load: ").append(settings.describe()).append('\n');
        line(text, "connections", String.format(Locale.ROOT, "%,d in %.1f s: %,.1f handshakes/s, %,d failed",
                stats.connections(), seconds(), handshakesPerSecond(), stats.failed())
                + versions());
        line(text, "resumption", String.format(Locale.ROOT, "offered %,d (%s of connections, %s asked), resumed %,d "
                + "of them (%s), %,d with a new ticket", stats.offered(),
                percent((double) stats.offered() / Math.max(1, stats.connections())), percent(settings.resumeShare()),
                stats.offeredResumed(), percent(achievedShare()), stats.renewed()));
        if (!settings.moreTargets().isEmpty()) {
            line(text, "across", String.format(Locale.ROOT, "%,d sessions offered to another server than the one "
                    + "that handed them out, %,d resumed, %,d not", stats.acrossOffered(), stats.acrossResumed(),
                    stats.acrossOffered() - stats.acrossResumed()));
            List<Probe.Target> targets = settings.targets();
            for (int i = 0; i < targets.size(); i++) {
                long[] counts = stats.target(i);
                line(text, i == 0 ? "per server" : "", String.format(Locale.ROOT, "%s: %,d connections, %,d failed, "
                        + "offered %,d, resumed %,d", targets.get(i), counts[0], counts[1], counts[2], counts[3]));
            }
        }
        Map<String, Long> notResumed = stats.notResumed();
        if (!notResumed.isEmpty()) {
            line(text, "not resumed", counts(notResumed));
        }
        if (!stats.outcomes().isEmpty()) {
            line(text, "server says", counts(stats.outcomes()));
        }
        if (latencies.length > 0) {
            line(text, "latency", "p50 " + millis(percentile(latencies, 50)) + ", p90 "
                    + millis(percentile(latencies, 90)) + ", p99 " + millis(percentile(latencies, 99)) + ", max "
                    + millis(latencies[latencies.length - 1]) + " (connect, handshake, request and answer)");
        }
        if (settings.earlyData()) {
            long sent = stats.earlyAccepted() + stats.earlyRejected();
            line(text, "early data", String.format(Locale.ROOT, "sent %,d, accepted %,d (%s), rejected %,d", sent,
                    stats.earlyAccepted(), percent((double) stats.earlyAccepted() / Math.max(1, sent)),
                    stats.earlyRejected()));
            line(text, "resumed in", "0-RTT " + spread(stats.zeroRttLatencies()) + "; 1-RTT "
                    + spread(stats.oneRttLatencies()));
        }
        line(text, "errors", stats.errors().isEmpty() ? "none" : counts(stats.errors()));
        return text.toString().stripTrailing();
    }

    private static String spread(long[] sorted) {
        return sorted.length == 0 ? "none" : "p50 " + millis(percentile(sorted, 50)) + ", p99 "
                + millis(percentile(sorted, 99)) + " (" + sorted.length + ")";
    }

    private static StringBuilder spreadJson(long[] sorted) {
        StringBuilder json = new StringBuilder("{");
        field(json, "count", sorted.length);
        field(json, "p50", sorted.length == 0 ? "null" : String.format(Locale.ROOT, "%.3f", percentile(sorted, 50) / 1e6));
        field(json, "p99", sorted.length == 0 ? "null" : String.format(Locale.ROOT, "%.3f", percentile(sorted, 99) / 1e6));
        return json.append('}');
    }

    private String versions() {
        Map<String, Long> versions = stats.versions();
        return versions.size() <= 1 ? versions.keySet().stream().map(v -> " (" + v + ")").collect(Collectors.joining())
                : " (" + counts(versions) + ")";
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "  %-12s %s%n", label, value));
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    String json() {
        long[] latencies = stats.sortedLatencies();
        StringBuilder json = new StringBuilder("{");
        field(json, "host", ProbeReport.quote(settings.host()));
        field(json, "port", settings.port());
        field(json, "connectionsAtOnce", settings.connections());
        field(json, "seconds", String.format(Locale.ROOT, "%.3f", seconds()));
        field(json, "connections", stats.connections());
        field(json, "failed", stats.failed());
        field(json, "handshakesPerSecond", String.format(Locale.ROOT, "%.1f", handshakesPerSecond()));
        field(json, "resumeShare", settings.resumeShare());
        field(json, "offered", stats.offered());
        field(json, "offeredResumed", stats.offeredResumed());
        field(json, "resumed", stats.resumed());
        field(json, "renewed", stats.renewed());
        field(json, "notResumed", object(stats.notResumed()));
        field(json, "serverOutcomes", object(stats.outcomes()));
        field(json, "versions", object(stats.versions()));
        StringBuilder latency = new StringBuilder("{");
        for (double p : PERCENTILES) {
            field(latency, "p" + (int) p, latencies.length == 0 ? "null"
                    : String.format(Locale.ROOT, "%.3f", percentile(latencies, p) / 1e6));
        }
        field(latency, "max", latencies.length == 0 ? "null"
                : String.format(Locale.ROOT, "%.3f", latencies[latencies.length - 1] / 1e6));
        field(json, "latencyMillis", latency.append('}'));
        field(json, "errors", object(stats.errors()));
        if (settings.earlyData()) {
            field(json, "earlyDataAccepted", stats.earlyAccepted());
            field(json, "earlyDataRejected", stats.earlyRejected());
            field(json, "resumedZeroRttMillis", spreadJson(stats.zeroRttLatencies()));
            field(json, "resumedOneRttMillis", spreadJson(stats.oneRttLatencies()));
        }
        if (!settings.moreTargets().isEmpty()) {
            field(json, "acrossOffered", stats.acrossOffered());
            field(json, "acrossResumed", stats.acrossResumed());
            StringBuilder targets = new StringBuilder("[");
            List<Probe.Target> all = settings.targets();
            for (int i = 0; i < all.size(); i++) {
                long[] counts = stats.target(i);
                StringBuilder target = new StringBuilder("{");
                field(target, "host", ProbeReport.quote(all.get(i).host()));
                field(target, "port", all.get(i).port());
                field(target, "connections", counts[0]);
                field(target, "failed", counts[1]);
                field(target, "offered", counts[2]);
                field(target, "offeredResumed", counts[3]);
                targets.append(i == 0 ? "" : ",").append(target.append('}'));
            }
            field(json, "targets", targets.append(']'));
        }
        return json.append('}').toString();
    }

    private static String object(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> ProbeReport.quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static void field(StringBuilder json, String name, Object value) {
        if (json.length() > 1) {
            json.append(',');
        }
        json.append('"').append(name).append("\":").append(value);
    }
}
