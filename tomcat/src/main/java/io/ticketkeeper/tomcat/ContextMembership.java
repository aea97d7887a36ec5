package io.ticketkeeper.tomcat;

import io.ticketkeeper.TicketContext;

import java.security.KeyManagementException;
import java.util.function.LongSupplier;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * A Tomcat context's place in its connector's handle: attached once Tomcat has configured it, detached before Tomcat
 * frees it. {@link TcnativeSslContext} and {@code FfmSslContext} hold one each and differ only in how they find the
 * {@code SSL_CTX *}: they extend Tomcat's two {@code OpenSSLContext} classes (JNI and FFM, unrelated types), so they
 * cannot share a superclass. The caller synchronizes (Tomcat's context methods are synchronized).
 */
final class ContextMembership {
    private final SSLHostConfigCertificate certificate;
    private final TicketKeeperSslImplementation connector;
    private TicketContext attached;

    ContextMembership(SSLHostConfigCertificate certificate, TicketKeeperSslImplementation connector) {
        this.certificate = certificate;
        this.connector = connector;
    }

    /**
     * After Tomcat's init: attaches {@code context}, whose {@code SSL_CTX *} {@code sslCtx} gives. On failure it runs
     * {@code destroy} (Tomcat's, freeing the context) and throws naming the host. A second init (Tomcat warned about
     * it already) changes nothing.
     */
    void attach(Object context, LongSupplier sslCtx, Runnable destroy) throws KeyManagementException {
        if (attached != null) {
            return;
        }
        String hostName = certificate.getSSLHostConfig().getHostName();
        try {
            attached = connector.attach(context, certificate, sslCtx.getAsLong(), hostName);
        } catch (RuntimeException e) {
            destroy.run();
            throw TicketKeeperSslImplementation.failure(hostName, e);
        }
    }

    /** Before Tomcat frees {@code context}: detaches it, once. */
    void detach(Object context) {
        if (attached != null) {
            connector.destroyed(context, certificate, attached);
            attached = null;
        }
    }
}
