package io.ticketkeeper.harness;

import static io.ticketkeeper.ffm.OpenSslMacros.SSL_CTX_set_max_proto_version;
import static io.ticketkeeper.ffm.OpenSslMacros.SSL_CTX_set_min_proto_version;
import static io.ticketkeeper.ffm.OpenSslMacros.SSL_CTX_set_session_cache_mode;
import static io.ticketkeeper.ffm.openssl.OpenSsl.*;
import static io.ticketkeeper.harness.OpenSslCalls.check;
import static io.ticketkeeper.harness.OpenSslCalls.checkNotNull;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A server {@code SSL_CTX} made through the generated bindings, pinned to one protocol version. */
public final class ServerContext implements AutoCloseable {
    private static final String SESSION_ID_CONTEXT = "ticketkeeper-harness";

    private final MemorySegment ctx;
    private final TlsVersion version;

    private ServerContext(Builder builder) {
        OpenSslCalls.init();
        this.version = builder.version;
        this.ctx = checkNotNull(SSL_CTX_new(TLS_server_method()), "SSL_CTX_new");
        try (Arena arena = Arena.ofConfined()) {
            check(SSL_CTX_set_min_proto_version(ctx, version.code()), "set_min_proto_version");
            check(SSL_CTX_set_max_proto_version(ctx, version.code()), "set_max_proto_version");
            check(SSL_CTX_use_certificate(ctx, builder.certificate.certificate()), "SSL_CTX_use_certificate");
            check(SSL_CTX_use_PrivateKey(ctx, builder.certificate.privateKey()), "SSL_CTX_use_PrivateKey");
            check(SSL_CTX_check_private_key(ctx), "SSL_CTX_check_private_key");
            MemorySegment sid = arena.allocateFrom(SESSION_ID_CONTEXT);
            check(SSL_CTX_set_session_id_context(ctx, sid, SESSION_ID_CONTEXT.length()), "set_session_id_context");
        }
        SSL_CTX_set_session_cache_mode(ctx, builder.sessionCache ? SSL_SESS_CACHE_SERVER() : SSL_SESS_CACHE_OFF());
        if (!builder.tickets) {
            SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET());
        }
        if (builder.trustedClient != null) {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER() | SSL_VERIFY_FAIL_IF_NO_PEER_CERT(), MemorySegment.NULL);
            check(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), builder.trustedClient.certificate()),
                    "X509_STORE_add_cert");
        }
    }

    public static Builder builder(TlsVersion version, TestCertificate certificate) {
        return new Builder(version, certificate);
    }

    public MemorySegment ctx() {
        return ctx;
    }

    /** The {@code SSL_CTX *} as TicketKeeper's API takes it. */
    public long address() {
        return ctx.address();
    }

    public TlsVersion version() {
        return version;
    }

    @Override
    public void close() {
        SSL_CTX_free(ctx);
    }

    /** Options of a {@link ServerContext}: tickets on, the server's session cache off, no client certificate. */
    public static final class Builder {
        private final TlsVersion version;
        private final TestCertificate certificate;
        private boolean tickets = true;
        private boolean sessionCache;
        private TestCertificate trustedClient;

        private Builder(TlsVersion version, TestCertificate certificate) {
            this.version = version;
            this.certificate = certificate;
        }

        public Builder tickets(boolean enabled) {
            this.tickets = enabled;
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

        public ServerContext build() {
            return new ServerContext(this);
        }
    }
}
