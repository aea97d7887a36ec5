package io.ticketkeeper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The session id context of a server {@code SSL_CTX}. OpenSSL resumes a session, from a ticket or its cache, only
 * when the session's context equals the server's, so servers that share ticket keys must share the context too.
 * nginx derives its context from its configuration; {@link #nginx()} derives the same, so a TicketKeeper server
 * and nginx servers resume each other's tickets (a mixed fleet, or a migration off nginx).
 */
public final class SessionIdContext {
    /** OpenSSL's SSL_MAX_SID_CTX_LENGTH. */
    public static final int MAX_LENGTH = 32;

    private final byte[] fixed;
    private final byte[] nginxPrefix;

    private SessionIdContext(byte[] fixed, byte[] nginxPrefix) {
        this.fixed = fixed;
        this.nginxPrefix = nginxPrefix;
    }

    /** These bytes (at most 32), copied. */
    public static SessionIdContext of(byte[] context) {
        Objects.requireNonNull(context, "context");
        if (context.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a session id context holds at most " + MAX_LENGTH + " bytes, was "
                    + context.length);
        }
        return new SessionIdContext(context.clone(), null);
    }

    /**
     * nginx's context for an {@code http} server: SHA-1 over "HTTP", the SHA-1 digest of the context's
     * certificate and the SHA-1 digest of each client CA name, computed from the {@code SSL_CTX} at install. For
     * a server with several certificates (RSA and ECDSA), use {@link #nginx(String, List, List)}.
     */
    public static SessionIdContext nginx() {
        return nginx("HTTP");
    }

    /** As {@link #nginx()} with another module's prefix: nginx's {@code stream} module uses "STREAM". */
    public static SessionIdContext nginx(String prefix) {
        return new SessionIdContext(null, Objects.requireNonNull(prefix, "prefix").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * nginx's context computed here: SHA-1 over {@code prefix}, then the SHA-1 digest of each certificate (DER) in
     * the order of nginx's {@code ssl_certificate} directives, then the SHA-1 digest of each client CA name (DER of
     * the X.509 name) in the order of the {@code ssl_client_certificate} file.
     */
    public static SessionIdContext nginx(String prefix, List<byte[]> certificates, List<byte[]> clientCaNames) {
        MessageDigest context = sha1();
        context.update(prefix.getBytes(StandardCharsets.UTF_8));
        for (byte[] certificate : certificates) {
            context.update(sha1().digest(certificate));
        }
        for (byte[] name : clientCaNames) {
            context.update(sha1().digest(name));
        }
        return new SessionIdContext(context.digest(), null);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /** The fixed bytes, or null when the context is derived from the {@code SSL_CTX}. */
    byte[] fixedBytes() {
        return fixed == null ? null : fixed.clone();
    }

    /** The prefix of nginx's derivation from the {@code SSL_CTX}, or null. */
    byte[] nginxPrefix() {
        return nginxPrefix == null ? null : nginxPrefix.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionIdContext that
                && Arrays.equals(fixed, that.fixed)
                && Arrays.equals(nginxPrefix, that.nginxPrefix);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(fixed) + Arrays.hashCode(nginxPrefix);
    }

    @Override
    public String toString() {
        return fixed != null ? "SessionIdContext{" + HexFormat.of().formatHex(fixed) + "}"
                : "SessionIdContext{nginx(" + new String(nginxPrefix, StandardCharsets.UTF_8) + ")}";
    }
}
