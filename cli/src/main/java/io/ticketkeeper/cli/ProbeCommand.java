package io.ticketkeeper.cli;

import io.ticketkeeper.harness.VersionRange;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ticketkeeper probe HOST PORT}: tests whether a server resumes sessions, as rfc5077's client does. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Connects to a TLS server, reconnects offering the session, and reports per connection "
                + "whether it was reused, the session id, the ticket and its lifetime hint, and renewals.",
                "Exits 1 when no reconnection resumed, 2 on errors."})
final class ProbeCommand implements Callable<Integer> {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST")
    private String host;

    @Parameters(index = "1", paramLabel = "PORT")
    private int port;

    @Option(names = {"-r", "--reconnect"}, defaultValue = "5", description = "Reconnections after the first connection. Default ${DEFAULT-VALUE}.")
    private int reconnections;

    @Option(names = {"-d", "--delay"}, defaultValue = "0", converter = DurationConverter.class,
            description = "Wait between connections (e.g. 2s, 1m). Default ${DEFAULT-VALUE}.")
    private Duration delay;

    @Option(names = "-T", description = "Tickets off: the client does not ask for session tickets.")
    private boolean noTickets;

    @Option(names = "-S", description = "Session ids off: the offered session carries no session id.")
    private boolean noSessionIds;

    @Option(names = "--offer-first", description = "Offer the first connection's session every time (default: the newest).")
    private boolean offerFirst;

    @Option(names = "--tls1.2", description = "TLS 1.2 only.")
    private boolean tls12;

    @Option(names = "--tls1.3", description = "TLS 1.3 only.")
    private boolean tls13;

    @Option(names = "--sni", paramLabel = "NAME", description = "Server name to send. Default: HOST unless it is an address.")
    private String serverName;

    @Option(names = "--no-sni", description = "Send no server name.")
    private boolean noServerName;

    @Option(names = "--cert", paramLabel = "PEM", description = "Client certificate (PEM).")
    private Path certificateFile;

    @Option(names = "--key", paramLabel = "PEM", description = "Private key (PEM) of --cert.")
    private Path keyFile;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Connect and handshake timeout. Default ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--json", description = "One JSON object on standard output instead of text.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProbeSettings settings = settings();
        Probe probe = new Probe(settings, Probe.sleeping(line -> {
            err.println("probe: " + line);
            err.flush();
        }), connection -> {
            if (!json) {
                out.println(ProbeReport.line(connection));
                out.flush();
            }
        });
        List<ProbeConnection> connections = probe.run();
        ProbeReport report = new ProbeReport(settings, connections);
        out.println(json ? report.json() : report.summary());
        out.flush();
        return report.exitCode();
    }

    private ProbeSettings settings() {
        String sni = noServerName ? null : serverName != null ? serverName
                : IP_LITERAL.matcher(host).matches() ? null : host;
        return ProbeSettings.builder(host)
                .port(port)
                .reconnections(reconnections)
                .delay(delay)
                .tickets(!noTickets)
                .sessionIds(!noSessionIds)
                .offerFirst(offerFirst)
                .versions(VersionRange.fromFlags(tls12, tls13))
                .serverName(sni)
                .certificateFiles(certificateFile, keyFile)
                .timeout(timeout)
                .build();
    }
}
