package io.ticketkeeper.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Where and how TicketKeeper reaches a Redis: the URI ({@code redis://host:port[/db]}, or {@code rediss://} for
 * TLS; a password or a user and password in it, or given apart) and, for TLS, a PEM file of the CA certificates to
 * trust (else the JDK's). The Redis session store and the fleet key source share it, so both speak AUTH (a
 * password, or an ACL user with its password) and TLS alike. Messages never show the password.
 */
public final class RedisEndpoint {
    private final String given;
    private final RedisURI uri;
    private final boolean passwordInUri;
    private String user;
    private char[] password;
    private Path trustedCertificates;

    private RedisEndpoint(String given, RedisURI uri) {
        this.given = given;
        this.uri = uri;
        this.passwordInUri = given.contains(":***@");
    }

    /**
     * Reads a Redis URI.
     *
     * @throws IllegalArgumentException naming the URI (without its password) and what is wrong with it
     */
    public static RedisEndpoint parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        String shown = withoutPassword(uri);
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            throw new IllegalArgumentException("'" + shown + "' is not a Redis URI: expected redis://host:port or "
                    + "rediss://host:port (TLS)");
        }
        try {
            return new RedisEndpoint(shown, RedisURI.create(uri));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + shown + "' is not a Redis URI (redis://host:port): "
                    + e.getMessage(), e);
        }
    }

    /** The URI as given, its password replaced by "***". */
    private static String withoutPassword(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        String userInfo = uri.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? "" : userInfo.substring(0, colon);
        return uri.substring(0, scheme + 3) + user + ":***" + uri.substring(at);
    }

    /**
     * Authenticates as {@code user} (an ACL user; null for the default user, as with {@code requirepass}) with
     * {@code password}, which is copied; this replaces any credentials in the URI.
     */
    public void credentials(String user, char[] password) {
        Objects.requireNonNull(password, "password");
        if (user != null && (user.isEmpty() || user.chars().anyMatch(c -> c <= ' ' || c >= 127))) {
            throw new IllegalArgumentException("a Redis user name is printable ASCII without spaces, not '" + user
                    + "'");
        }
        if (password.length == 0) {
            throw new IllegalArgumentException("the Redis password is empty");
        }
        this.user = user;
        this.password = password.clone();
    }

    /** Trusts the CA certificates in {@code pemFile} for {@code rediss://}, instead of the JDK's. */
    public void trustedCertificates(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        if (!Files.isReadable(pemFile)) {
            throw new IllegalArgumentException("the Redis CA file " + pemFile + " is unreadable"
                    + (Files.exists(pemFile) ? ": permission denied" : ": no such file"));
        }
        this.trustedCertificates = pemFile;
    }

    /**
     * A client for this endpoint whose commands fail after {@code timeout} and whose connections (with their TLS
     * handshake and AUTH) give up after {@code connectTimeout}; with {@code autoReconnect} Lettuce reconnects in
     * the background, and either way commands fail at once while disconnected rather than queue.
     *
     * @throws IllegalArgumentException when a CA file is given for a plain {@code redis://} URI
     */
    public RedisClient newClient(Duration timeout, Duration connectTimeout, boolean autoReconnect) {
        if (trustedCertificates != null && !uri.isSsl()) {
            throw new IllegalArgumentException("a CA file (" + trustedCertificates + ") is for TLS, but " + given
                    + " is plain: use rediss://");
        }
        // The URI's timeout bounds connecting (TLS, AUTH) and every wait; TimeoutOptions expire commands earlier.
        RedisURI.Builder effective = RedisURI.builder(uri)
                .withTimeout(timeout.compareTo(connectTimeout) > 0 ? timeout : connectTimeout);
        if (password != null && user != null) {
            effective.withAuthentication(user, password);
        } else if (password != null) {
            effective.withPassword(password);
        }
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(autoReconnect)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build());
        if (trustedCertificates != null) {
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(trustedCertificates.toFile())
                    .handshakeTimeout(connectTimeout).build());
        }
        RedisClient client = RedisClient.create(effective.build());
        client.setOptions(options.build());
        return client;
    }

    /** The error to throw when connecting failed: names the endpoint and the deepest cause (a refused password, a
     * certificate that does not verify, a refused connection). */
    public IllegalStateException connectFailed(RuntimeException e) {
        return new IllegalStateException("could not connect to Redis at " + this + ": " + rootCause(e), e);
    }

    /**
     * What went wrong rather than where: the TLS handshake's own message when TLS failed (a certificate that does
     * not verify), else the innermost message among {@code failure}'s causes, else the innermost cause's class name
     * (a closed channel).
     */
    public static String rootCause(Throwable failure) {
        String message = null;
        Throwable deepest = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SSLException && cause.getMessage() != null) {
                return "TLS handshake failed: " + cause.getMessage();
            }
            deepest = cause;
            message = cause.getMessage() != null ? cause.getMessage() : message;
        }
        return message != null ? message : deepest.getClass().getSimpleName();
    }

    /** host:port, with TLS and the user when there are: never the password. */
    @Override
    public String toString() {
        String who = user != null ? " as " + user : passwordInUri || password != null ? " with a password" : "";
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + who;
    }
}
