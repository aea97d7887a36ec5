package io.ticketkeeper.cli;

import io.ticketkeeper.harness.ServerContext.ClientCertificate;
import io.ticketkeeper.harness.VersionRange;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ticketkeeper serve}: an HTTPS responder with TicketKeeper in charge of its session tickets, until
 * interrupted; one log line per connection and the counters at the end.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs an HTTPS responder (OpenSSL with TicketKeeper) that answers any request with 200.",
                "Logs one line per connection; prints its counters on exit (Ctrl-C, SIGTERM)."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-p", "--port"}, defaultValue = "8443", description = "TCP port (0: any free one). Default ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on. Default ${DEFAULT-VALUE}.")
    private InetAddress bind;

    @Option(names = "--tls1.2", description = "Offer TLS 1.2 only.")
    private boolean tls12;

    @Option(names = "--tls1.3", description = "Offer TLS 1.3 only.")
    private boolean tls13;

    @Option(names = "--no-tickets", negatable = false, description = "Issue no session tickets (SSL_OP_NO_TICKET).")
    private boolean noTickets;

    @Option(names = "--session-cache", defaultValue = "none", converter = SessionCacheConverter.class,
            description = "Stateful sessions: none or openssl (OpenSSL's built-in cache). Default ${DEFAULT-VALUE}.")
    private SessionCache sessionCache;

    @Option(names = "--client-cert", defaultValue = "none",
            description = "Ask for a client certificate: none, request or require (any certificate is accepted "
                    + "and logged; serve authenticates nobody). Default ${DEFAULT-VALUE}.")
    private ClientCertificate clientCertificate;

    @Option(names = "--cert", paramLabel = "PEM", description = "Certificate chain (PEM). Default: a generated self-signed one.")
    private Path certificateFile;

    @Option(names = "--key", paramLabel = "PEM", description = "Private key (PEM) of --cert.")
    private Path keyFile;

    @Option(names = "--write-cert", paramLabel = "PEM",
            description = "Write the generated certificate to this file, for clients that must trust it.")
    private Path writeCertificate;

    @Option(names = "--max-age", defaultValue = "12h", converter = DurationConverter.class,
            description = "Tickets older than this give a full handshake. Default ${DEFAULT-VALUE}.")
    private Duration maxAge;

    @Option(names = "--renew-after", defaultValue = "6h", converter = DurationConverter.class,
            description = "Tickets at least this old are renewed when they resume. Default ${DEFAULT-VALUE}.")
    private Duration renewAfter;

    @Option(names = "--rotate-every", defaultValue = "0", converter = DurationConverter.class,
            description = "Generate a new encrypting key this often; old keys decrypt (and renew) until "
                    + "--max-age. 0 never rotates. Default ${DEFAULT-VALUE}.")
    private Duration rotateEvery;

    @Option(names = "--max-connections", defaultValue = "64", description = "Connections served at once. Default ${DEFAULT-VALUE}.")
    private int maxConnections;

    @Option(names = {"-q", "--quiet"}, description = "No line per connection; only the counters at the end.")
    private boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ServerSettings settings = settings();
        if (writeCertificate != null && certificateFile != null) {
            throw new IllegalArgumentException("--write-cert writes the generated certificate; with --cert there is "
                    + "none (clients can trust " + certificateFile + ")");
        }
        HttpsResponder responder = HttpsResponder.start(settings, event -> {
            if (!quiet || event.failed()) {
                synchronized (out) {
                    out.println("serve: " + event.logLine());
                    out.flush();
                }
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            responder.close();
            out.println("serve: stopped; " + responder.summary());
            out.flush();
            stopped.countDown();
        }, "serve-shutdown"));
        if (writeCertificate != null) {
            responder.writeCertificate(writeCertificate);
            out.println("serve: wrote the certificate to " + writeCertificate);
        }
        out.println("serve: listening on https://" + settings.bind().getHostAddress() + ":" + responder.port()
                + "/ (" + describe(settings) + "); Ctrl-C stops");
        out.flush();
        stopped.await();
        return 0;
    }

    private ServerSettings settings() {
        return ServerSettings.builder()
                .bind(bind)
                .port(port)
                .versions(VersionRange.fromFlags(tls12, tls13))
                .tickets(!noTickets)
                .sessionCache(sessionCache)
                .clientCertificate(clientCertificate)
                .certificateFiles(certificateFile, keyFile)
                .ticketAges(maxAge, renewAfter)
                .rotateEvery(rotateEvery)
                .maxConnections(maxConnections)
                .build();
    }

    static String describe(ServerSettings settings) {
        return settings.versions() + ", tickets " + (settings.tickets() ? "on" : "off") + ", session cache "
                + settings.sessionCache().name().toLowerCase(java.util.Locale.ROOT) + ", keys generated"
                + (settings.rotateEvery().isZero() ? "" : " rotating every "
                        + DurationConverter.format(settings.rotateEvery()))
                + ", max age " + DurationConverter.format(settings.maxAge()) + ", renew after "
                + DurationConverter.format(settings.renewAfter());
    }

    /** Reads --session-cache through {@link SessionCache#parse}, whose message lists what this build offers. */
    static final class SessionCacheConverter implements picocli.CommandLine.ITypeConverter<SessionCache> {
        @Override
        public SessionCache convert(String value) {
            return SessionCache.parse(value);
        }
    }
}
