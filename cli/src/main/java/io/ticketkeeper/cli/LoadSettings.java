package io.ticketkeeper.cli;

import io.ticketkeeper.endpoints.VersionRange;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link LoadRun} does.
 *
 * @param connections connections at once, each on its own thread, one after another
 * @param duration how long to run, or null with a {@code count}
 * @param count how many connections in all, or 0 with a {@code duration}
 * @param resumeShare the share of connections after a worker's first that offer its newest session
 * @param maxRate at most this many new connections per second, all workers together; 0 for no limit
 * @param moreTargets servers after {@code host:port} that each worker's connections go to in turn, each offering
 *     the session the previous one (on the previous server) got; empty for one server
 * @param earlyData each resumption's request goes as TLS 1.3 early data when its ticket allows it
 */
record LoadSettings(String host, int port, int connections, Duration duration, long count, double resumeShare,
        VersionRange versions, String serverName, Duration timeout, int maxRate, List<Probe.Target> moreTargets,
        boolean earlyData) {

    LoadSettings(String host, int port, int connections, Duration duration, long count, double resumeShare,
            VersionRange versions, String serverName, Duration timeout, int maxRate, List<Probe.Target> moreTargets) {
        this(host, port, connections, duration, count, resumeShare, versions, serverName, timeout, maxRate,
                moreTargets, false);
    }

    LoadSettings(String host, int port, int connections, Duration duration, long count, double resumeShare,
            VersionRange versions, String serverName, Duration timeout, int maxRate) {
        this(host, port, connections, duration, count, resumeShare, versions, serverName, timeout, maxRate,
                List.of());
    }

    /** The rate {@code load} keeps to against a host that is not loopback, unless told otherwise. */
    static final int REMOTE_RATE = 100;
    static final int MAX_CONNECTIONS = 512;

    LoadSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(timeout, "timeout");
        moreTargets = List.copyOf(moreTargets);
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("--connections must be between 1 and " + MAX_CONNECTIONS + ", was "
                    + connections);
        }
        if ((duration == null) == (count == 0)) {
            throw new IllegalArgumentException("give a --duration or a --count, not both");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new IllegalArgumentException("--duration must be positive, was " + DurationConverter.format(duration));
        }
        if (count < 0) {
            throw new IllegalArgumentException("--count must be positive, was " + count);
        }
        if (!(resumeShare >= 0 && resumeShare <= 1)) {
            throw new IllegalArgumentException("--resume must be between 0 and 100%, was " + resumeShare);
        }
        if (maxRate < 0) {
            throw new IllegalArgumentException("--rate must not be negative, was " + maxRate);
        }
    }

    /**
     * Bounds the rate by design: to anything but loopback at most {@link #REMOTE_RATE} connections per second (the
     * default there), more only with {@code allowHighRate}. Throws, naming the host and the flag, when asked for more.
     */
    static int boundedRate(String host, int requested, boolean allowHighRate) throws UnknownHostException {
        if (allowHighRate || InetAddress.getByName(host).isLoopbackAddress()) {
            return requested;
        }
        if (requested == 0) {
            return REMOTE_RATE;
        }
        if (requested > REMOTE_RATE) {
            throw new IllegalArgumentException("refusing " + requested + " connections per second to " + host
                    + ", which is not a loopback address: the limit is " + REMOTE_RATE + " unless you add "
                    + "--allow-high-rate (only against servers you run)");
        }
        return requested;
    }

    /** The probe each worker runs: as many reconnections as it gets, each offering a session by the share. */
    ProbeSettings probeSettings() {
        return ProbeSettings.builder(host)
                .port(port)
                .reconnections(Integer.MAX_VALUE - 1)
                .offerShare(resumeShare)
                .versions(versions)
                .serverName(serverName)
                .timeout(timeout)
                .earlyData(earlyData)
                .build();
    }

    /** Every server the workers go to, {@code host:port} first. */
    List<Probe.Target> targets() {
        List<Probe.Target> all = new ArrayList<>();
        all.add(new Probe.Target(host, port));
        all.addAll(moreTargets);
        return all;
    }

    String describe() {
        return (moreTargets.isEmpty() ? host + ":" + port : targets().stream().map(Probe.Target::toString)
                .collect(java.util.stream.Collectors.joining(", ")) + " in turn") + ", " + versions + ", " + connections + " connection" + (connections == 1 ? "" : "s")
                + " at once, " + (duration != null ? "for " + DurationConverter.format(duration) : count + " in all")
                + ", " + Math.round(resumeShare * 100) + "% offering a session"
                + (maxRate > 0 ? ", at most " + maxRate + " per second" : "")
                + (earlyData ? ", requests as early data" : "");
    }
}
