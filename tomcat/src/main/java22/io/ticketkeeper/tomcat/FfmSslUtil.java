package io.ticketkeeper.tomcat;

import java.util.List;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.openssl.panama.OpenSSLUtil;

/**
 * Tomcat's FFM {@code SSLUtil}, making contexts that TicketKeeper joins. {@link TcnativeSslUtil} is its twin for
 * tomcat-native: Tomcat's two {@code OpenSSLUtil} classes are unrelated types, so each needs a subclass of its own.
 */
final class FfmSslUtil extends OpenSSLUtil {
    private final SSLHostConfigCertificate certificate;
    private final TicketKeeperSslImplementation connector;

    FfmSslUtil(SSLHostConfigCertificate certificate, TicketKeeperSslImplementation connector) {
        super(certificate);
        this.certificate = certificate;
        this.connector = connector;
    }

    @Override
    public SSLContext createSSLContextInternal(List<String> negotiableProtocols) throws Exception {
        return new FfmSslContext(certificate, negotiableProtocols, connector);
    }
}
