package io.ticketkeeper.cli;

import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.SessionIdContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.endpoints.ServerContext.ClientCertificate;
import io.ticketkeeper.endpoints.VersionRange;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
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
            paramLabel = "CACHE",
            description = "Stateful sessions (resumption by session id): none, openssl (OpenSSL's built-in cache), "
                    + "memory[:SIZE] (TicketKeeper's bounded store) or redis://host:port (shared by a fleet, "
                    + "entries sealed). Default ${DEFAULT-VALUE}.")
    private SessionCache sessionCache;

    @Option(names = "--session-key-file", paramLabel = "FILE",
            description = "With redis://: 32 bytes (keygen --format session) sealing the sessions; every server of "
                    + "the fleet reads the same file. Repeat to keep opening entries under older keys: the first "
                    + "seals. Default: a generated key, which only this process can open.")
    private List<Path> sessionKeyFiles = new ArrayList<>();

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

    @Option(names = "--renew-after", converter = DurationConverter.class,
            description = "Tickets at least this old are renewed when they resume. Default: half of --max-age "
                    + "(6h), as the library's default policy does.")
    private Duration renewAfter;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Session ticket key file, reloaded when it changes. Repeat for more keys: as in nginx, the "
                    + "first file's key seals and the others only open tickets (which are renewed). "
                    + "Default: generated keys.")
    private List<Path> ticketKeyFiles = new ArrayList<>();

    @Option(names = "--key-format", defaultValue = "nginx", converter = KeyFormatConverter.class,
            paramLabel = "FORMAT",
            description = "Layout of --key-file: nginx (80 bytes name|HMAC|AES or 48 bytes name|AES|HMAC, by size), "
                    + "openssl-80, nginx-48, openssl-48 or haproxy (base64 lines). Default ${DEFAULT-VALUE}.")
    private KeyFileFormat ticketKeyFormat;

    @Option(names = "--session-id-context", paramLabel = "nginx|HEX", converter = SessionIdContextConverter.class,
            description = "The session id context, which servers sharing tickets must share: nginx (what nginx "
                    + "derives from the certificate, to share tickets with nginx) or up to 32 bytes in hex. "
                    + "Default: serve's own.")
    private SessionIdContext sessionIdContext;

    @Option(names = "--rotate-every", defaultValue = "0", converter = DurationConverter.class,
            description = "Generate a new encrypting key this often; old keys decrypt (and renew) until "
                    + "--max-age. 0 never rotates (with --key-source: every hour). Default ${DEFAULT-VALUE}.")
    private Duration rotateEvery;

    @Option(names = "--key-source", paramLabel = "URI",
            description = "Share the ticket keys with a fleet through Redis: redis://host:port or rediss://host:port "
                    + "(TLS). Every server of the fleet gives the same Redis, --fleet-key-file, --rotate-every "
                    + "(default here 1h) and --max-age. Default: keys of this process only.")
    private String keySource;

    @Option(names = "--fleet-key-file", paramLabel = "FILE",
            description = "With --key-source: 32 bytes (keygen --format fleet) wrapping the ticket keys in Redis; "
                    + "every server of the fleet reads the same file. Repeat to keep unwrapping keys wrapped by older "
                    + "files: the first wraps.")
    private List<Path> fleetKeyFiles = new ArrayList<>();

    @Option(names = "--outage-sealing", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "With --key-source: how long the newest key keeps sealing past its period while Redis is "
                    + "unreachable (keys open tickets this much longer). Default: one --rotate-every.")
    private Duration outageSealing;

    @Option(names = "--redis-user", paramLabel = "USER",
            description = "Redis ACL user, for --key-source and --session-cache (with --redis-password-file).")
    private String redisUser;

    @Option(names = "--redis-password-file", paramLabel = "FILE",
            description = "File whose first line is the Redis password, for --key-source and --session-cache (a "
                    + "password in the URI works too, but shows in the process list).")
    private Path redisPasswordFile;

    @Option(names = "--redis-ca-file", paramLabel = "PEM",
            description = "CA certificates to trust for rediss://, for --key-source and --session-cache. Default: "
                    + "the JDK's.")
    private Path redisCaFile;

    @Option(names = "--clock-ahead", defaultValue = "0", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Run TicketKeeper's clock this far ahead of the system's: to try a fleet's clock skew. "
                    + "Default ${DEFAULT-VALUE}.")
    private Duration clockAhead;

    @Option(names = "--early-data", arity = "0..1", fallbackValue = "16384", defaultValue = "0", paramLabel = "MAX",
            description = "Accept TLS 1.3 early data (0-RTT), at most MAX bytes (default when given: 16384), once "
                    + "per ClientHello: recorded for 11 s in the fleet's Redis (--key-source), else in a redis:// "
                    + "--session-cache, else in this process. The answer says whether the request came as early "
                    + "data. Default: off.")
    private int earlyData;

    @Option(names = "--early-data-in-memory",
            description = "Keep the early data record in this process even with a Redis: each server of a fleet then "
                    + "lets in a replay the others refused (to compare; not for production).")
    private boolean earlyDataInMemory;

    @Option(names = "--early-data-once-per-ticket",
            description = "Accept each ticket's early data once (kept for --max-age) instead of each ClientHello's: "
                    + "a client offering one ticket's early data twice is refused too.")
    private boolean earlyDataOncePerTicket;

    @Option(names = "--early-data-wait", defaultValue = "20ms", converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "The longest a handshake waits for the early data record in Redis; later, the early data "
                    + "is refused and the handshake goes on in 1-RTT. Default ${DEFAULT-VALUE}.")
    private Duration earlyDataWait;

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
        warnings(settings).forEach(warning -> out.println("serve: warning: " + warning));
        // Before serve listens, a key source failure fails the start and is the error line: not printed twice.
        AtomicBoolean listening = new AtomicBoolean();
        HttpsResponder responder = HttpsResponder.start(settings, event -> {
            if (!quiet || event.failed()) {
                print(out, event.logLine());
            }
        }, event -> {
            if (listening.get() || event.type() != KeyEvent.Type.LOAD_FAILED) {
                print(out, describe(event));
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
        listening.set(true);
        if (settings.fleet()) {
            out.println("serve: fleet: " + responder.handle().keyRingStats().source().detail());
        }
        out.println("serve: listening on https://" + settings.bind().getHostAddress() + ":" + responder.port()
                + "/ (" + describe(settings) + "); Ctrl-C stops");
        out.flush();
        stopped.await();
        return 0;
    }

    private static void print(PrintWriter out, String line) {
        synchronized (out) {
            out.println("serve: " + line);
            out.flush();
        }
    }

    /** A key ring event as serve logs it, e.g. a key file that changed, or could not be read on reload. */
    static String describe(KeyEvent event) {
        return "keys: " + event.type().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (event.key() == null || event.key().isEmpty() ? "" : " " + event.key())
                + (event.detail() == null ? "" : " (" + event.detail() + ")");
    }

    /** What a person should know before serve starts: settings that work here but not in a fleet. */
    static List<String> warnings(ServerSettings settings) {
        if (settings.sessionCache().shared() && settings.sessionKeyFiles().isEmpty()) {
            return List.of("sessions in " + settings.sessionCache() + " are sealed by a key generated for this "
                    + "process; servers sharing the store need a shared key: --session-key-file (keygen --format "
                    + "session)");
        }
        return List.of();
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
                .ticketAges(maxAge, renewAfter != null ? renewAfter : maxAge.dividedBy(2))
                .ticketKeyFiles(ticketKeyFormat, ticketKeyFiles)
                .rotateEvery(rotateEvery)
                .sessionIdContext(sessionIdContext)
                .sessionKeyFiles(sessionKeyFiles)
                .fleet(keySource, fleetKeyFiles)
                .outageSealing(outageSealing)
                .redis(new RedisOptions(redisUser, redisPasswordFile, redisCaFile))
                .clock(clockAhead.isZero() ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), clockAhead))
                .maxConnections(maxConnections)
                .earlyData(earlyData)
                .earlyDataInMemory(earlyDataInMemory)
                .earlyDataOncePerTicket(earlyDataOncePerTicket)
                .earlyDataWait(earlyDataWait)
                .build();
    }

    static String describe(ServerSettings settings) {
        return settings.versions() + ", Java " + Runtime.version().feature() + " with the " + TicketKeeper.backendDescription()
                + " backend, tickets " + (settings.tickets() ? "on" : "off") + ", session cache "
                + settings.sessionCache() + describeSealing(settings) + ", " + describeKeys(settings)
                + (settings.sessionIdContext() == null ? "" : ", session id context "
                        + describe(settings.sessionIdContext()))
                + ", max age " + DurationConverter.format(settings.maxAge()) + ", renew after "
                + DurationConverter.format(settings.renewAfter())
                + (settings.earlyData() == 0 ? "" : ", early data up to " + settings.earlyData() + " bytes, once per "
                        + (settings.earlyDataOncePerTicket() ? "ticket" : "ClientHello") + ", recorded in "
                        + (settings.earlyDataRedis() == null ? "memory" : settings.earlyDataRedis()));
    }

    private static String describeSealing(ServerSettings settings) {
        if (!settings.sessionCache().shared()) {
            return "";
        }
        return settings.sessionKeyFiles().isEmpty() ? " (sealed by a generated key)" : " (sealed by "
                + settings.sessionKeyFiles().stream().map(Path::toString).collect(Collectors.joining(", ")) + ")";
    }

    private static String describeKeys(ServerSettings settings) {
        if (settings.fleet()) {
            return "keys from the fleet in " + settings.keySource() + " (wrapped by "
                    + settings.fleetKeyFiles().stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "; rotating every " + DurationConverter.format(settings.fleetPeriod()) + ")"
                    + (settings.clock().equals(Clock.systemUTC()) ? "" : ", clock " + settings.clock());
        }
        if (!settings.ticketKeyFiles().isEmpty()) {
            return "keys from " + settings.ticketKeyFiles().stream().map(Path::toString)
                    .collect(Collectors.joining(", ")) + " (" + KeyFormatConverter.flag(settings.ticketKeyFormat())
                    + ", the first seals; reloaded on change)";
        }
        return "keys generated" + (settings.rotateEvery().isZero() ? ""
                : " rotating every " + DurationConverter.format(settings.rotateEvery()));
    }

    private static String describe(SessionIdContext context) {
        String text = context.toString();
        return text.substring(text.indexOf('{') + 1, text.length() - 1);
    }

    /** Reads --key-format: the library's {@link KeyFileFormat} names in lower case, with '-' for '_'. */
    static final class KeyFormatConverter implements picocli.CommandLine.ITypeConverter<KeyFileFormat> {
        static String flag(KeyFileFormat format) {
            return format.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public KeyFileFormat convert(String value) {
            for (KeyFileFormat format : KeyFileFormat.values()) {
                if (flag(format).equalsIgnoreCase(value.strip())) {
                    return format;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a key file format; use "
                    + Arrays.stream(KeyFileFormat.values()).map(KeyFormatConverter::flag)
                            .collect(Collectors.joining(", ")));
        }
    }

    /** Reads --session-id-context: {@code nginx}, or hex bytes. */
    static final class SessionIdContextConverter implements picocli.CommandLine.ITypeConverter<SessionIdContext> {
        @Override
        public SessionIdContext convert(String value) {
            if (value.strip().equalsIgnoreCase("nginx")) {
                return SessionIdContext.nginx();
            }
            try {
                return SessionIdContext.of(HexFormat.of().parseHex(value.strip()));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("session id context '" + value + "': "
                        + (e.getMessage().startsWith("a session id context") ? e.getMessage()
                                : "neither nginx nor hex bytes"));
            }
        }
    }

    /** Reads --session-cache through {@link SessionCache#parse}, whose message lists what this build offers. */
    static final class SessionCacheConverter implements picocli.CommandLine.ITypeConverter<SessionCache> {
        @Override
        public SessionCache convert(String value) {
            return SessionCache.parse(value);
        }
    }
}
