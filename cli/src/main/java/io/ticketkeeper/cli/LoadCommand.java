package io.ticketkeeper.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ticketkeeper load HOST PORT}: TLS handshakes against any server, with resumption, as fast as allowed. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Opens TLS connections to a server, many at once, for a while or a count: each connects, "
                + "handshakes (offering its last session by the share asked for), sends one request, reads the "
                + "answer and closes. Reports handshakes/s, resumption offered and achieved (and, from serve, why "
                + "a session was not resumed), latency percentiles and errors by kind.",
                "To anything but a loopback address it keeps to " + LoadSettings.REMOTE_RATE + " connections per "
                        + "second unless told --allow-high-rate.",
                "Exits 1 when a connection failed, 2 on errors."})
final class LoadCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private TargetOptions target;

    @Option(names = {"-c", "--connections"}, defaultValue = "8",
            description = "Connections at once (1 to " + LoadSettings.MAX_CONNECTIONS + "). Default ${DEFAULT-VALUE}.")
    private int connections;

    @Option(names = {"-d", "--duration"}, converter = DurationConverter.class,
            description = "How long to run (e.g. 30s, 5m). Default 10s unless --count is given.")
    private Duration duration;

    @Option(names = {"-n", "--count"}, defaultValue = "0", description = "How many connections in all, instead of a duration.")
    private long count;

    @Option(names = {"-r", "--resume"}, defaultValue = "80%", paramLabel = "SHARE", converter = ShareConverter.class,
            description = "Share of connections that offer the worker's last session: 80%%, 0.8, 0 (all full "
                    + "handshakes) or 100%%. Default 80%%.")
    private double resumeShare;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "PER_SECOND",
            description = "At most this many new connections per second. Default: no limit on loopback, "
                    + LoadSettings.REMOTE_RATE + " elsewhere.")
    private int rate;

    @Option(names = "--allow-high-rate",
            description = "Allow more than " + LoadSettings.REMOTE_RATE + " connections per second to a host that is "
                    + "not a loopback address. Only against servers you run.")
    private boolean allowHighRate;

    @Option(names = "--target", paramLabel = "HOST:PORT",
            description = "Another server, after HOST PORT (repeat for more): each worker's connections go to the "
                    + "servers in turn, each offering the session the one before got on the previous server, so every "
                    + "resumption is one across servers (servers that share ticket keys). Reports resumptions across "
                    + "servers and each server's counts.")
    private java.util.List<String> moreTargets = new java.util.ArrayList<>();

    @Option(names = "--early-data",
            description = "Send each resumption's request as TLS 1.3 early data when its ticket allows it; the report "
                    + "adds the share accepted and the latency of resumptions with 0-RTT against 1-RTT.")
    private boolean earlyData;

    @Option(names = "--json", description = "One JSON object on standard output instead of the summary.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    private boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadSettings settings = settings();
        boolean terminal = System.console() != null;
        if (!quiet) {
            err.println("load: " + settings.describe());
            err.flush();
        }
        LoadRun run = new LoadRun(settings);
        Thread interrupt = new Thread(run::stop, "load-stop");
        Runtime.getRuntime().addShutdownHook(interrupt);
        LoadReport report;
        try {
            report = run.run(progress -> {
                if (!quiet) {
                    err.print(terminal ? "\r" + progress.progressLine() + "\033[K" : progress.progressLine() + "\n");
                    err.flush();
                }
            });
        } finally {
            removeQuietly(interrupt);
        }
        if (!quiet && terminal) {
            err.print("\r\033[K");
            err.flush();
        }
        out.println(json ? report.json() : report.summary());
        out.flush();
        return report.exitCode();
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook has run
        }
    }

    private LoadSettings settings() throws java.net.UnknownHostException {
        if (target.port < 1 || target.port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + target.port);
        }
        Duration runFor = duration == null && count == 0 ? Duration.ofSeconds(10) : duration;
        if (runFor != null && count != 0) {
            throw new IllegalArgumentException("give --duration or --count, not both");
        }
        java.util.List<Probe.Target> more = new java.util.ArrayList<>();
        int boundedRate = LoadSettings.boundedRate(target.host, rate, allowHighRate);
        for (String text : moreTargets) {
            Probe.Target parsed = parseTarget(text);
            more.add(parsed);
            int forThis = LoadSettings.boundedRate(parsed.host(), rate, allowHighRate);
            boundedRate = boundedRate == 0 ? forThis : forThis == 0 ? boundedRate : Math.min(boundedRate, forThis);
        }
        return new LoadSettings(target.host, target.port, connections, runFor, count, resumeShare, target.versions(),
                target.sni(), target.timeout, boundedRate, more, earlyData);
    }

    /** HOST:PORT, or [IPv6]:PORT. */
    static Probe.Target parseTarget(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("--target '" + text + "' is not HOST:PORT (a port from 1 to 65535)");
        }
        return new Probe.Target(host, port);
    }

    /** Reads a share as a percentage ({@code 80%}) or a fraction ({@code 0.8}). */
    static final class ShareConverter implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String text = value.strip();
            try {
                double share = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1)) / 100
                        : Double.parseDouble(text);
                if (share >= 0 && share <= 1) {
                    return share;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value
                    + "' is not a share (examples: 80%, 0.8, 0, 100%)");
        }
    }
}
