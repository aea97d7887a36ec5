package io.ticketkeeper.cli;

import io.ticketkeeper.endpoints.VersionRange;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Probe} does.
 *
 * @param reconnections connections after the first, each offering a session from before
 * @param tickets whether the client asks for tickets ({@code -T} turns them off)
 * @param sessionIds whether the client offers session ids ({@code -S} hides the session's own id)
 * @param offerFirst offer the first connection's session every time, instead of the newest one
 * @param offerShare the share of reconnections that offer a session (1: all; {@code load} takes fewer)
 * @param serverName the SNI name sent, or null for none
 * @param certificateFile a client certificate (PEM), or null
 * @param keyFile its private key (PEM), or null
 */
record ProbeSettings(String host, int port, int reconnections, Duration delay, boolean tickets, boolean sessionIds,
        boolean offerFirst, double offerShare, VersionRange versions, String serverName, Path certificateFile,
        Path keyFile, Duration timeout, boolean earlyData) {

    static Builder builder(String host) {
        return new Builder(host);
    }

    /** Configures {@link ProbeSettings}; the defaults are those of {@code ticketkeeper probe}. */
    static final class Builder {
        private final String host;
        private int port = 443;
        private int reconnections = 5;
        private Duration delay = Duration.ZERO;
        private boolean tickets = true;
        private boolean sessionIds = true;
        private boolean offerFirst;
        private boolean earlyData;
        private double offerShare = 1;
        private VersionRange versions = VersionRange.ALL;
        private String serverName;
        private Path certificateFile;
        private Path keyFile;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(String host) {
            this.host = Objects.requireNonNull(host, "host");
        }

        Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        Builder reconnections(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("--reconnect must not be negative, was " + count);
            }
            this.reconnections = count;
            return this;
        }

        Builder delay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("--delay must not be negative, was " + delay);
            }
            this.delay = delay;
            return this;
        }

        Builder tickets(boolean enabled) {
            this.tickets = enabled;
            return this;
        }

        Builder sessionIds(boolean enabled) {
            this.sessionIds = enabled;
            return this;
        }

        Builder offerFirst(boolean first) {
            this.offerFirst = first;
            return this;
        }

        Builder offerShare(double share) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("the share of resumption attempts must be between 0 and 1, was "
                        + share);
            }
            this.offerShare = share;
            return this;
        }

        Builder versions(VersionRange versions) {
            this.versions = Objects.requireNonNull(versions, "versions");
            return this;
        }

        /** null sends no server name. */
        Builder serverName(String name) {
            this.serverName = name;
            return this;
        }

        Builder certificateFiles(Path certificate, Path key) {
            if ((certificate == null) != (key == null)) {
                throw new IllegalArgumentException("--cert and --key go together");
            }
            this.certificateFile = certificate;
            this.keyFile = key;
            return this;
        }

        Builder timeout(Duration timeout) {
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("--timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Sends each resumption's request as TLS 1.3 early data when the offered ticket allows it. */
        Builder earlyData(boolean enabled) {
            this.earlyData = enabled;
            return this;
        }

        ProbeSettings build() {
            return new ProbeSettings(host, port, reconnections, delay, tickets, sessionIds, offerFirst, offerShare,
                    versions, serverName, certificateFile, keyFile, timeout, earlyData);
        }
    }
}
