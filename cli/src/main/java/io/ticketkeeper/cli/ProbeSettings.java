package io.ticketkeeper.cli;

import io.ticketkeeper.harness.TlsVersion;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link Probe} does.
 *
 * @param reconnections connections after the first, each offering a session from before
 * @param tickets whether the client asks for tickets ({@code -T} turns them off)
 * @param sessionIds whether the client offers session ids ({@code -S} removes the id from the offered session)
 * @param offerFirst offer the first connection's session every time, instead of the newest one
 * @param serverName the SNI name sent, or null for none
 * @param certificateFile a client certificate (PEM), or null
 * @param keyFile its private key (PEM), or null
 */
record ProbeSettings(String host, int port, int reconnections, Duration delay, boolean tickets, boolean sessionIds,
        boolean offerFirst, TlsVersion minVersion, TlsVersion maxVersion, String serverName, Path certificateFile,
        Path keyFile, Duration timeout) {

    ProbeSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        if (reconnections < 0) {
            throw new IllegalArgumentException("--reconnect must not be negative, was " + reconnections);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("--delay must not be negative, was " + delay);
        }
        if ((certificateFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
    }

    /** Five reconnections, no delay, both versions, tickets and session ids on: a probe against localhost. */
    static ProbeSettings of(String host, int port) {
        return new ProbeSettings(host, port, 5, Duration.ZERO, true, true, false, TlsVersion.TLS1_2,
                TlsVersion.TLS1_3, null, null, null, Duration.ofSeconds(10));
    }

    ProbeSettings withReconnections(int count) {
        return new ProbeSettings(host, port, count, delay, tickets, sessionIds, offerFirst, minVersion, maxVersion,
                serverName, certificateFile, keyFile, timeout);
    }

    ProbeSettings withVersion(TlsVersion version) {
        return new ProbeSettings(host, port, reconnections, delay, tickets, sessionIds, offerFirst, version, version,
                serverName, certificateFile, keyFile, timeout);
    }

    ProbeSettings withTickets(boolean enabled) {
        return new ProbeSettings(host, port, reconnections, delay, enabled, sessionIds, offerFirst, minVersion,
                maxVersion, serverName, certificateFile, keyFile, timeout);
    }

    ProbeSettings withOfferFirst(boolean first) {
        return new ProbeSettings(host, port, reconnections, delay, tickets, sessionIds, first, minVersion, maxVersion,
                serverName, certificateFile, keyFile, timeout);
    }

    ProbeSettings withDelay(Duration pause) {
        return new ProbeSettings(host, port, reconnections, pause, tickets, sessionIds, offerFirst, minVersion,
                maxVersion, serverName, certificateFile, keyFile, timeout);
    }

    ProbeSettings withCertificate(Path certificate, Path key) {
        return new ProbeSettings(host, port, reconnections, delay, tickets, sessionIds, offerFirst, minVersion,
                maxVersion, serverName, certificate, key, timeout);
    }
}
