package io.ticketkeeper.cli;

import io.ticketkeeper.harness.ServerContext.ClientCertificate;
import io.ticketkeeper.harness.VersionRange;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link HttpsResponder} serves with: where it listens, what it offers, and its ticket key ring.
 *
 * @param certificateFile PEM certificate chain, or null for a generated self-signed certificate
 * @param keyFile PEM private key of {@code certificateFile}, or null
 * @param rotateEvery how often a fresh generated key takes over encryption; zero never rotates
 * @param clock the clock of ticket ages and key rotation
 */
record ServerSettings(
        InetAddress bind,
        int port,
        VersionRange versions,
        boolean tickets,
        SessionCache sessionCache,
        ClientCertificate clientCertificate,
        Path certificateFile,
        Path keyFile,
        Duration maxAge,
        Duration renewAfter,
        Duration rotateEvery,
        int maxConnections,
        Duration ioTimeout,
        Clock clock) {

    static Builder builder() {
        return new Builder();
    }

    /** Configures {@link ServerSettings}; the defaults are those of {@code ticketkeeper serve}. */
    static final class Builder {
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private int port;
        private VersionRange versions = VersionRange.ALL;
        private boolean tickets = true;
        private SessionCache sessionCache = SessionCache.NONE;
        private ClientCertificate clientCertificate = ClientCertificate.NONE;
        private Path certificateFile;
        private Path keyFile;
        private Duration maxAge = Duration.ofHours(12);
        private Duration renewAfter = Duration.ofHours(6);
        private Duration rotateEvery = Duration.ZERO;
        private int maxConnections = 64;
        private Duration ioTimeout = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        Builder bind(InetAddress address) {
            this.bind = Objects.requireNonNull(address, "bind");
            return this;
        }

        /** 0 picks a free port. */
        Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        Builder versions(VersionRange versions) {
            this.versions = Objects.requireNonNull(versions, "versions");
            return this;
        }

        Builder tickets(boolean enabled) {
            this.tickets = enabled;
            return this;
        }

        Builder sessionCache(SessionCache cache) {
            this.sessionCache = Objects.requireNonNull(cache, "sessionCache");
            return this;
        }

        Builder clientCertificate(ClientCertificate mode) {
            this.clientCertificate = Objects.requireNonNull(mode, "clientCertificate");
            return this;
        }

        Builder certificateFiles(Path certificate, Path key) {
            if ((certificate == null) != (key == null)) {
                throw new IllegalArgumentException("--cert and --key go together; got only "
                        + (certificate != null ? "--cert " + certificate : "--key " + key));
            }
            this.certificateFile = certificate;
            this.keyFile = key;
            return this;
        }

        Builder ticketAges(Duration maxAge, Duration renewAfter) {
            if (maxAge.isZero() || maxAge.isNegative()) {
                throw new IllegalArgumentException("--max-age must be positive, was " + maxAge);
            }
            if (renewAfter.isNegative() || renewAfter.compareTo(maxAge) > 0) {
                throw new IllegalArgumentException("--renew-after (" + DurationConverter.format(renewAfter)
                        + ") must be between 0 and --max-age (" + DurationConverter.format(maxAge) + ")");
            }
            this.maxAge = maxAge;
            this.renewAfter = renewAfter;
            return this;
        }

        Builder rotateEvery(Duration every) {
            if (every.isNegative()) {
                throw new IllegalArgumentException("--rotate-every must not be negative, was " + every);
            }
            this.rotateEvery = every;
            return this;
        }

        Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("--max-connections must be at least 1, was " + max);
            }
            this.maxConnections = max;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        ServerSettings build() {
            return new ServerSettings(bind, port, versions, tickets, sessionCache, clientCertificate,
                    certificateFile, keyFile, maxAge, renewAfter, rotateEvery, maxConnections, ioTimeout, clock);
        }
    }
}
