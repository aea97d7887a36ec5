package io.ticketkeeper.harness;

import static io.ticketkeeper.openssl.macros.OpenSslMacros.SSL_CTX_set_session_cache_mode;
import static io.ticketkeeper.openssl.ffm.OpenSsl.*;
import static io.ticketkeeper.harness.OpenSslCalls.check;

import io.ticketkeeper.openssl.ffm.SSL_CTX_set_verify$callback;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A server {@code SSL_CTX} made through the generated bindings: pinned to one protocol version (the harness) or
 * offering a range ({@code ticketkeeper serve}), with a generated certificate or one from PEM files.
 */
public final class ServerContext implements AutoCloseable {
    private static final String SESSION_ID_CONTEXT = "ticketkeeper-harness";
    /** Accepts any client certificate: a test responder asks for one to show it, not to authenticate anyone. */
    private static final MemorySegment ACCEPT_ANY_CERTIFICATE =
            SSL_CTX_set_verify$callback.allocate((preverified, store) -> 1, Arena.global());

    private final MemorySegment ctx;
    private final TlsVersion version;

    private ServerContext(Builder builder) {
        this.version = builder.versions.max();
        OpenSslCalls.init(); // loads the shim, through which the bindings find OpenSSL
        this.ctx = OpenSslCalls.newContext(TLS_server_method(), made -> configure(made, builder));
    }

    private static void configure(MemorySegment ctx, Builder builder) {
        try (Arena arena = Arena.ofConfined()) {
            builder.versions.applyTo(ctx);
            if (builder.certificate != null) {
                check(SSL_CTX_use_certificate(ctx, builder.certificate.certificate()), "SSL_CTX_use_certificate");
                check(SSL_CTX_use_PrivateKey(ctx, builder.certificate.privateKey()), "SSL_CTX_use_PrivateKey");
            } else {
                PemFiles.useCertificate(ctx, builder.certificateFile, builder.keyFile);
            }
            check(SSL_CTX_check_private_key(ctx), "SSL_CTX_check_private_key");
            MemorySegment sid = arena.allocateFrom(SESSION_ID_CONTEXT);
            check(SSL_CTX_set_session_id_context(ctx, sid, SESSION_ID_CONTEXT.length()), "set_session_id_context");
        }
        SSL_CTX_set_session_cache_mode(ctx, builder.sessionCache ? SSL_SESS_CACHE_SERVER() : SSL_SESS_CACHE_OFF());
        if (builder.sessionTimeoutSeconds > 0) {
            SSL_CTX_set_timeout(ctx, builder.sessionTimeoutSeconds);
        }
        if (!builder.tickets) {
            SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET());
        }
        if (builder.trustedClient != null) {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER() | SSL_VERIFY_FAIL_IF_NO_PEER_CERT(), MemorySegment.NULL);
            check(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), builder.trustedClient.certificate()),
                    "X509_STORE_add_cert");
        } else if (builder.clientCertificate != ClientCertificate.NONE) {
            int mode = SSL_VERIFY_PEER() | (builder.clientCertificate == ClientCertificate.REQUIRE
                    ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT() : 0);
            SSL_CTX_set_verify(ctx, mode, ACCEPT_ANY_CERTIFICATE);
        }
    }



    public static Builder builder(TlsVersion version, TestCertificate certificate) {
        return new Builder(VersionRange.only(version)).certificate(certificate);
    }

    /** A server offering {@code versions}; set a certificate before building. */
    public static Builder builder(VersionRange versions) {
        return new Builder(versions);
    }

    public MemorySegment ctx() {
        return ctx;
    }

    /** The {@code SSL_CTX *} as TicketKeeper's API takes it. */
    public long address() {
        return ctx.address();
    }

    /** The newest version the server offers. */
    public TlsVersion version() {
        return version;
    }

    @Override
    public void close() {
        SSL_CTX_free(ctx);
    }

    /** Whether the server asks clients for a certificate. */
    public enum ClientCertificate {
        NONE, REQUEST, REQUIRE
    }

    /** Options of a {@link ServerContext}: tickets on, the server's session cache off, no client certificate. */
    public static final class Builder {
        private final VersionRange versions;
        private TestCertificate certificate;
        private Path certificateFile;
        private Path keyFile;
        private boolean tickets = true;
        private boolean sessionCache;
        private TestCertificate trustedClient;
        private ClientCertificate clientCertificate = ClientCertificate.NONE;
        private long sessionTimeoutSeconds;

        private Builder(VersionRange versions) {
            this.versions = versions;
        }

        public Builder certificate(TestCertificate certificate) {
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
        public Builder requireClientCertificate(TestCertificate client) {
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
