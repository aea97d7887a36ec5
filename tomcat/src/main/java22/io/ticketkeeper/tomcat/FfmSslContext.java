package io.ticketkeeper.tomcat;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.openssl.panama.OpenSSLContext;

/**
 * One {@code SSL_CTX} of Tomcat's FFM connector, attached to its connector's handle once Tomcat has configured it,
 * and detached before Tomcat frees it in {@link #destroy()} ({@link ContextMembership}). A context Tomcat replaces on
 * reload is never destroyed: Tomcat's cleaner frees it when it is unreachable, and the handle notices.
 */
final class FfmSslContext extends OpenSSLContext {
    private final ContextMembership membership;

    FfmSslContext(SSLHostConfigCertificate certificate, List<String> negotiableProtocols,
            TicketKeeperSslImplementation connector) throws SSLException {
        super(certificate, negotiableProtocols);
        this.membership = new ContextMembership(certificate, connector);
    }

    @Override
    public synchronized void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr)
            throws KeyManagementException {
        super.init(kms, tms, sr);
        membership.attach(this, () -> getSSLContext().address(), super::destroy);
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
