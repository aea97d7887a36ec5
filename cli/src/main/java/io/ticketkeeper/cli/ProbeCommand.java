package io.ticketkeeper.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ticketkeeper probe HOST PORT}: tests whether a server resumes sessions, as rfc5077's client does. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Connects to a TLS server, reconnects offering the session, and reports per connection "
                + "whether it was reused, the session id, the ticket and its lifetime hint, and renewals.",
                "Exits 1 when no reconnection resumed, 2 on errors."})
final class ProbeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private TargetOptions target;

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

    @Option(names = "--early-data",
            description = "Send each resumption's request as TLS 1.3 early data when the ticket allows it; each "
                    + "line says whether the server accepted it (if not, the request goes again after the handshake).")
    private boolean earlyData;

    @Option(names = "--cert", paramLabel = "PEM", description = "Client certificate (PEM).")
    private Path certificateFile;

    @Option(names = "--key", paramLabel = "PEM", description = "Private key (PEM) of --cert.")
    private Path keyFile;

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
        return ProbeSettings.builder(target.host)
                .port(target.port)
                .reconnections(reconnections)
                .delay(delay)
                .tickets(!noTickets)
                .sessionIds(!noSessionIds)
                .offerFirst(offerFirst)
                .earlyData(earlyData)
                .versions(target.versions())
                .serverName(target.sni())
                .certificateFiles(certificateFile, keyFile)
                .timeout(target.timeout)
                .build();
    }
}
