package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;

import io.ticketkeeper.openssl.LibSsl;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A server {@code SSL_CTX}: pinned to one protocol version (the harness) or offering a range ({@code ticketkeeper
 * serve}), with a generated certificate or one from PEM files.
 */
public final class ServerContext implements AutoCloseable {
    private static final byte[] SESSION_ID_CONTEXT = "ticketkeeper-harness".getBytes(StandardCharsets.US_ASCII);

    private final long ctx;
    private final TlsVersion version;

    private ServerContext(Builder builder) {
        this.version = builder.versions.max();
        this.ctx = OpenSslCalls.newContext(SSL.TLS_server_method(), made -> configure(made, builder));
    }

    private static void configure(long ctx, Builder builder) {
        builder.versions.applyTo(ctx);
        if (builder.certificate != null) {
            check(SSL.SSL_CTX_use_certificate(ctx, builder.certificate.certificate()), "SSL_CTX_use_certificate");
            check(SSL.SSL_CTX_use_PrivateKey(ctx, builder.certificate.privateKey()), "SSL_CTX_use_PrivateKey");
        } else {
            PemFiles.useCertificate(ctx, builder.certificateFile, builder.keyFile);
        }
        check(SSL.SSL_CTX_check_private_key(ctx), "SSL_CTX_check_private_key");
        check(SSL.SSL_CTX_set_session_id_context(ctx, SESSION_ID_CONTEXT), "set_session_id_context");
        SSL.SSL_CTX_set_session_cache_mode(ctx,
                builder.sessionCache ? LibSsl.SSL_SESS_CACHE_SERVER : LibSsl.SSL_SESS_CACHE_OFF);
        if (builder.sessionTimeoutSeconds > 0) {
            SSL.SSL_CTX_set_timeout(ctx, builder.sessionTimeoutSeconds);
        }
        if (!builder.tickets) {
            SSL.SSL_CTX_set_options(ctx, LibSsl.SSL_OP_NO_TICKET);
        }
        if (builder.trustedClient != null) {
            SSL.SSL_CTX_set_verify(ctx, LibSsl.SSL_VERIFY_PEER | LibSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT, false);
            check(SSL.X509_STORE_add_cert(SSL.SSL_CTX_get_cert_store(ctx), builder.trustedClient.certificate()),
                    "X509_STORE_add_cert");
        } else if (builder.clientCertificate != ClientCertificate.NONE) {
            int mode = LibSsl.SSL_VERIFY_PEER | (builder.clientCertificate == ClientCertificate.REQUIRE
                    ? LibSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
            SSL.SSL_CTX_set_verify(ctx, mode, true);
        }
    }

    public static Builder builder(TlsVersion version, SelfSignedCertificate certificate) {
        return new Builder(VersionRange.only(version)).certificate(certificate);
    }

    /** A server offering {@code versions}; set a certificate before building. */
    public static Builder builder(VersionRange versions) {
        return new Builder(versions);
    }

    /** The {@code SSL_CTX *}, as TicketKeeper's API takes it. */
    public long address() {
        return ctx;
    }

    /** The newest version the server offers. */
    public TlsVersion version() {
        return version;
    }

    @Override
    public void close() {
        SSL.SSL_CTX_free(ctx);
    }

    /** Whether the server asks clients for a certificate. */
    public enum ClientCertificate {
        NONE, REQUEST, REQUIRE
    }

    /** Options of a {@link ServerContext}: tickets on, the server's session cache off, no client certificate. */
    public static final class Builder {
        private final VersionRange versions;
        private SelfSignedCertificate certificate;
        private Path certificateFile;
        private Path keyFile;
        private boolean tickets = true;
        private boolean sessionCache;
        private SelfSignedCertificate trustedClient;
        private ClientCertificate clientCertificate = ClientCertificate.NONE;
        private long sessionTimeoutSeconds;

        private Builder(VersionRange versions) {
            this.versions = versions;
        }

        public Builder certificate(SelfSignedCertificate certificate) {
            this.certificate = java.util.Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** A PEM certificate chain and its PEM private key, read by OpenSSL at build time. */
        public Builder certificateFiles(Path certificateFile, Path keyFile) {
            this.certificate = null;
            this.certificateFile = java.util.Objects.requireNonNull(certificateFile, "certificateFile");
            this.keyFile = java.util.Objects.requireNonNull(keyFile, "keyFile");
            return this;
        }

        public Builder tickets(boolean enabled) {
            this.tickets = enabled;
            return this;
        }

        /**
         * OpenSSL's session timeout: the ticket lifetime hint, and the age past which OpenSSL itself refuses a
         * session by its own clock. Default: OpenSSL's (2 hours).
         */
        public Builder sessionTimeout(java.time.Duration timeout) {
            this.sessionTimeoutSeconds = Math.max(1, timeout.toSeconds());
            return this;
        }

        public Builder sessionCache(boolean enabled) {
            this.sessionCache = enabled;
            return this;
        }

        /** Requires a client certificate, trusting {@code client}'s self-signed one. */
        public Builder requireClientCertificate(SelfSignedCertificate client) {
            this.trustedClient = client;
            return this;
        }

        /** Asks clients for a certificate and accepts whichever they send (none, unless {@code REQUIRE}). */
        public Builder clientCertificate(ClientCertificate mode) {
            this.clientCertificate = java.util.Objects.requireNonNull(mode, "mode");
            return this;
        }

        public ServerContext build() {
            if (certificate == null && certificateFile == null) {
                throw new IllegalStateException("no certificate: set certificate(...) or certificateFiles(...)");
            }
            return new ServerContext(this);
        }
    }
}
