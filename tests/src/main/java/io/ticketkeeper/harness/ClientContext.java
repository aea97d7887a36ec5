package io.ticketkeeper.harness;

import static io.ticketkeeper.ffm.OpenSslMacros.SSL_CTX_set_max_proto_version;
import static io.ticketkeeper.ffm.OpenSslMacros.SSL_CTX_set_min_proto_version;
import static io.ticketkeeper.ffm.openssl.OpenSsl.*;
import static io.ticketkeeper.harness.OpenSslCalls.check;
import static io.ticketkeeper.harness.OpenSslCalls.checkNotNull;

import java.lang.foreign.MemorySegment;

/** A client {@code SSL_CTX} that trusts the harness server's certificate and optionally presents its own. */
public final class ClientContext implements AutoCloseable {
    private final MemorySegment ctx;

    public ClientContext(TlsVersion version, TestCertificate trustedServer, TestCertificate clientCertificate) {
        OpenSslCalls.init();
        ctx = checkNotNull(SSL_CTX_new(TLS_client_method()), "SSL_CTX_new");
        check(SSL_CTX_set_min_proto_version(ctx, version.code()), "set_min_proto_version");
        check(SSL_CTX_set_max_proto_version(ctx, version.code()), "set_max_proto_version");
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER(), MemorySegment.NULL);
        check(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), trustedServer.certificate()), "X509_STORE_add_cert");
        if (clientCertificate != null) {
            check(SSL_CTX_use_certificate(ctx, clientCertificate.certificate()), "SSL_CTX_use_certificate");
            check(SSL_CTX_use_PrivateKey(ctx, clientCertificate.privateKey()), "SSL_CTX_use_PrivateKey");
        }
    }

    public ClientContext(TlsVersion version, TestCertificate trustedServer) {
        this(version, trustedServer, null);
    }

    public MemorySegment ctx() {
        return ctx;
    }

    @Override
    public void close() {
        SSL_CTX_free(ctx);
    }
}
