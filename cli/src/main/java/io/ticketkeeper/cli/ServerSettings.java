package io.ticketkeeper.cli;

import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.SessionIdContext;
import io.ticketkeeper.endpoints.ServerContext.ClientCertificate;
import io.ticketkeeper.endpoints.VersionRange;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link HttpsResponder} serves with: where it listens, what it offers, its ticket keys and session cache.
 *
 * @param certificateFile PEM certificate chain, or null for a generated self-signed certificate
 * @param keyFile PEM private key of {@code certificateFile}, or null
 * @param ticketKeyFiles session ticket key files, the first one sealing (nginx's rule); empty for generated keys
 * @param ticketKeyFormat the layout of {@code ticketKeyFiles}
 * @param rotateEvery how often a fresh generated key takes over encryption; zero never rotates
 * @param sessionIdContext the session id context, or null for serve's own
 * @param sessionKeyFiles the keys sealing sessions in a shared store, the first one sealing; empty for a generated
 *     key
 * @param clock the clock of ticket ages and key rotation
 * @param keySource the fleet's Redis ({@code redis://} or {@code rediss://}) sharing the ticket keys, or null
 * @param fleetKeyFiles the keys wrapping the fleet's ticket keys in Redis, the first one wrapping
 * @param outageSealing how long the newest fleet key seals past its period without Redis; null for one period
 * @param redis how to reach Redis (user, password, CA), for the key source and the session cache
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
        List<Path> ticketKeyFiles,
        KeyFileFormat ticketKeyFormat,
        Duration rotateEvery,
        SessionIdContext sessionIdContext,
        List<Path> sessionKeyFiles,
        int maxConnections,
        Duration ioTimeout,
        Clock clock,
        String keySource,
        List<Path> fleetKeyFiles,
        Duration outageSealing,
        RedisOptions redis,
        int earlyData,
        boolean earlyDataInMemory,
        boolean earlyDataOncePerTicket,
        Duration earlyDataWait) {

    static Builder builder() {
        return new Builder();
    }

    /** Whether the ticket keys come from a fleet's Redis. */
    boolean fleet() {
        return keySource != null;
    }

    /**
     * Where the early data record lives: the fleet's Redis (--key-source), else a shared session store's, else
     * null (this process's memory).
     */
    String earlyDataRedis() {
        if (earlyDataInMemory) {
            return null;
        }
        if (keySource != null) {
            return keySource;
        }
        return sessionCache.shared() ? sessionCache.spec() : null;
    }

    /** How often fleet keys rotate: --rotate-every, or one hour when it is not set. */
    Duration fleetPeriod() {
        return rotateEvery.isZero() ? Duration.ofHours(1) : rotateEvery;
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
        private List<Path> ticketKeyFiles = List.of();
        private KeyFileFormat ticketKeyFormat = KeyFileFormat.NGINX;
        private Duration rotateEvery = Duration.ZERO;
        private SessionIdContext sessionIdContext;
        private List<Path> sessionKeyFiles = List.of();
        private int maxConnections = 64;
        private Duration ioTimeout = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();
        private String keySource;
        private List<Path> fleetKeyFiles = List.of();
        private Duration outageSealing;
        private RedisOptions redis = RedisOptions.NONE;
        private int earlyData;
        private boolean earlyDataInMemory;
        private boolean earlyDataOncePerTicket;
        private Duration earlyDataWait = Duration.ofMillis(20);

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

        /** Ticket keys from {@code files} in {@code format}, reloaded when they change; the first file's key seals. */
        Builder ticketKeyFiles(KeyFileFormat format, List<Path> files) {
            this.ticketKeyFormat = Objects.requireNonNull(format, "format");
            this.ticketKeyFiles = List.copyOf(files);
            return this;
        }

        /** Null keeps serve's own context. */
        Builder sessionIdContext(SessionIdContext context) {
            this.sessionIdContext = context;
            return this;
        }

        Builder sessionKeyFiles(List<Path> files) {
            this.sessionKeyFiles = List.copyOf(files);
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

        /** Ticket keys shared through the fleet's Redis at {@code uri}, wrapped by {@code wrappingKeyFiles}. */
        Builder fleet(String uri, List<Path> wrappingKeyFiles) {
            if (uri != null && !uri.matches("rediss?(-sentinel|-cluster)?://.*")) {
                throw new IllegalArgumentException("--key-source '" + uri + "' is not a Redis URI: expected "
                        + io.ticketkeeper.cli.RedisForms.FORMS);
            }
            this.keySource = uri;
            this.fleetKeyFiles = List.copyOf(wrappingKeyFiles);
            return this;
        }

        /** Null: one period. */
        Builder outageSealing(Duration outageSealing) {
            if (outageSealing != null && outageSealing.isNegative()) {
                throw new IllegalArgumentException("--outage-sealing must not be negative, was " + outageSealing);
            }
            this.outageSealing = outageSealing;
            return this;
        }

        Builder redis(RedisOptions redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
            return this;
        }

        /** The fleet flags go together, and with no other source of ticket keys. */
        private void checkFleet() {
            if (keySource == null) {
                String stray = !fleetKeyFiles.isEmpty() ? "--fleet-key-file" : outageSealing != null
                        ? "--outage-sealing" : null;
                if (stray != null) {
                    throw new IllegalArgumentException(stray + " is for the fleet's keys in Redis: give --key-source "
                            + "redis://host:port");
                }
                if (redis.given() && !sessionCache.shared()) {
                    throw new IllegalArgumentException("--redis-password-file and --redis-ca-file are for "
                            + "--key-source redis://… and --session-cache redis://…; neither is given");
                }
                return;
            }
            if (!ticketKeyFiles.isEmpty()) {
                throw new IllegalArgumentException("--key-source and --key-file both give the ticket keys: choose one");
            }
            if (fleetKeyFiles.isEmpty()) {
                throw new IllegalArgumentException("--key-source " + keySource + " needs --fleet-key-file (keygen "
                        + "--format fleet): every server of the fleet wraps the keys in Redis with the same key");
            }
        }

        /** TLS 1.3 early data: the most bytes a ticket allows; 0 (the default) turns it off. */
        Builder earlyData(int maxBytes) {
            if (maxBytes < 0 || maxBytes > (1 << 30)) {
                throw new IllegalArgumentException("--early-data must be 1 to 2^30 bytes, was " + maxBytes);
            }
            this.earlyData = maxBytes;
            return this;
        }

        /** Keeps the early data record in this process even when a Redis is configured. */
        Builder earlyDataInMemory(boolean inMemory) {
            this.earlyDataInMemory = inMemory;
            return this;
        }

        /** Allows each ticket's early data once (for --max-age) instead of each ClientHello's. */
        Builder earlyDataOncePerTicket(boolean once) {
            this.earlyDataOncePerTicket = once;
            return this;
        }

        /** The longest a handshake waits for the early data record in Redis. */
        Builder earlyDataWait(Duration wait) {
            this.earlyDataWait = io.ticketkeeper.internal.Durations.positive("--early-data-wait", wait);
            return this;
        }

        ServerSettings build() {
            if ((earlyDataInMemory || earlyDataOncePerTicket) && earlyData == 0) {
                throw new IllegalArgumentException("--early-data-in-memory and --early-data-once-per-ticket need "
                        + "--early-data");
            }
            if (!ticketKeyFiles.isEmpty() && !rotateEvery.isZero()) {
                throw new IllegalArgumentException("--rotate-every rotates generated keys; with --key-file the keys "
                        + "come from the files (replace a file to rotate: serve reloads it)");
            }
            if (!sessionKeyFiles.isEmpty() && !sessionCache.shared()) {
                throw new IllegalArgumentException("--session-key-file seals sessions in a shared store; the session "
                        + "cache " + sessionCache + " keeps them in this process");
            }
            checkFleet();
            return new ServerSettings(bind, port, versions, tickets, sessionCache, clientCertificate,
                    certificateFile, keyFile, maxAge, renewAfter, ticketKeyFiles, ticketKeyFormat, rotateEvery,
                    sessionIdContext, sessionKeyFiles, maxConnections, ioTimeout, clock, keySource, fleetKeyFiles,
                    outageSealing, redis, earlyData, earlyDataInMemory, earlyDataOncePerTicket,
                    earlyDataWait);
        }
    }
}
