package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;

import io.ticketkeeper.openssl.LibSsl;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A client {@code SSL_CTX}: in the harness it trusts the harness server's certificate and optionally presents its
 * own; {@code ticketkeeper probe} builds one that verifies nothing, as {@code openssl s_client} does by default.
 */
public final class ClientContext implements AutoCloseable {
    private final long ctx;

    public ClientContext(TlsVersion version, SelfSignedCertificate trustedServer, SelfSignedCertificate clientCertificate) {
        this(builder(VersionRange.only(version)).trust(trustedServer).certificate(clientCertificate));
    }

    public ClientContext(TlsVersion version, SelfSignedCertificate trustedServer) {
        this(version, trustedServer, null);
    }

    private ClientContext(Builder builder) {
        ctx = OpenSslCalls.newContext(SSL.TLS_client_method(), made -> configure(made, builder));
    }

    private static void configure(long ctx, Builder builder) {
        builder.versions.applyTo(ctx);
        if (builder.trustedServer != null) {
            SSL.SSL_CTX_set_verify(ctx, LibSsl.SSL_VERIFY_PEER, false);
            check(SSL.X509_STORE_add_cert(SSL.SSL_CTX_get_cert_store(ctx), builder.trustedServer.certificate()),
                    "X509_STORE_add_cert");
        }
        if (builder.certificate != null) {
            check(SSL.SSL_CTX_use_certificate(ctx, builder.certificate.certificate()), "SSL_CTX_use_certificate");
            check(SSL.SSL_CTX_use_PrivateKey(ctx, builder.certificate.privateKey()), "SSL_CTX_use_PrivateKey");
        }
        if (builder.certificateFile != null) {
            PemFiles.useCertificate(ctx, builder.certificateFile, builder.keyFile);
        }
        if (!builder.tickets) {
            SSL.SSL_CTX_set_options(ctx, LibSsl.SSL_OP_NO_TICKET);
        }
    }


    /** A client offering {@code versions} and verifying nothing until told to. */
    public static Builder builder(VersionRange versions) {
        return new Builder(versions);
    }

    /** The {@code SSL_CTX *}. */
    public long address() {
        return ctx;
    }

    @Override
    public void close() {
        SSL.SSL_CTX_free(ctx);
    }

    /** Options of a {@link ClientContext}: no verification, no client certificate, tickets on. */
    public static final class Builder {
        private final VersionRange versions;
        private SelfSignedCertificate trustedServer;
        private SelfSignedCertificate certificate;
        private Path certificateFile;
        private Path keyFile;
        private boolean tickets = true;

        private Builder(VersionRange versions) {
            this.versions = versions;
        }

        /** Verifies the server against this self-signed certificate; null verifies nothing. */
        public Builder trust(SelfSignedCertificate server) {
            this.trustedServer = server;
            return this;
        }

        /** Presents this certificate when asked; null presents none. */
        public Builder certificate(SelfSignedCertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        /** Presents the PEM certificate in {@code certificateFile} with the PEM key in {@code keyFile}. */
        public Builder certificateFiles(Path certificateFile, Path keyFile) {
            this.certificateFile = Objects.requireNonNull(certificateFile, "certificateFile");
            this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
            return this;
        }

        /** Whether the client asks for session tickets (SSL_OP_NO_TICKET when false). */
        public Builder tickets(boolean enabled) {
            this.tickets = enabled;
            return this;
        }

        public ClientContext build() {
            return new ClientContext(this);
        }
    }
}
