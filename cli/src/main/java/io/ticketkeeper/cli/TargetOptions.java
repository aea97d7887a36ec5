package io.ticketkeeper.cli;

import io.ticketkeeper.endpoints.VersionRange;

import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The server a client command talks to, as {@code probe} and {@code load} take it: HOST PORT and how to talk. */
final class TargetOptions {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Parameters(index = "1", paramLabel = "PORT")
    int port;

    @Option(names = "--tls1.2", description = "TLS 1.2 only.")
    boolean tls12;

    @Option(names = "--tls1.3", description = "TLS 1.3 only.")
    boolean tls13;

    @Option(names = "--sni", paramLabel = "NAME", description = "Server name to send. Default: HOST unless it is an address.")
    String serverName;

    @Option(names = "--no-sni", description = "Send no server name.")
    boolean noServerName;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Connect and handshake timeout. Default ${DEFAULT-VALUE}.")
    Duration timeout;

    /** The SNI name to send, or null for none. */
    String sni() {
        if (noServerName) {
            return null;
        }
        return serverName != null ? serverName : IP_LITERAL.matcher(host).matches() ? null : host;
    }

    VersionRange versions() {
        return VersionRange.fromFlags(tls12, tls13);
    }
}
