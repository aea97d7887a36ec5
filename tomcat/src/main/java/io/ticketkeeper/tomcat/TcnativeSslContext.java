package io.ticketkeeper.tomcat;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.openssl.OpenSSLContext;

/**
 * One context of tomcat-native's JNI connector, attached to its connector's handle once Tomcat has configured it
 * and detached before Tomcat frees it in {@link #destroy()} ({@link ContextMembership}). Tomcat publishes the
 * configured context's id (the address of tomcat-native's {@code tcn_ssl_ctxt_t}) through
 * {@code SSLHostConfig.getOpenSslContext()}; {@link TcnativeContexts} takes the {@code SSL_CTX *} out of it, for the
 * tomcat-native versions whose layout it knows only.
 */
final class TcnativeSslContext extends OpenSSLContext {
    private final SSLHostConfigCertificate certificate;
    private final ContextMembership membership;

    TcnativeSslContext(SSLHostConfigCertificate certificate, List<String> negotiableProtocols,
            TicketKeeperSslImplementation connector) throws SSLException {
        super(certificate, negotiableProtocols);
        this.certificate = certificate;
        this.membership = new ContextMembership(certificate, connector);
    }

    @Override
    public synchronized void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr)
            throws KeyManagementException {
        super.init(kms, tms, sr);
        membership.attach(this, () -> TcnativeContexts.sslCtx(certificate.getSSLHostConfig().getOpenSslContext()),
                super::destroy);
    }

    /** Detaches before Tomcat frees the context. OpenSSLContext's constructor calls this on failure, before init. */
    @Override
    public synchronized void destroy() {
        if (membership != null) {
            membership.detach(this);
        }
        super.destroy();
    }
}
