package io.ticketkeeper.tomcat;

import java.util.List;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.openssl.OpenSSLUtil;

/**
 * tomcat-native's {@code SSLUtil}, making contexts that TicketKeeper joins. {@code FfmSslUtil} is its twin for the FFM
 * connector: Tomcat's two {@code OpenSSLUtil} classes are unrelated types, so each needs a subclass of its own.
 */
final class TcnativeSslUtil extends OpenSSLUtil {
    private final SSLHostConfigCertificate certificate;
    private final TicketKeeperSslImplementation connector;

    TcnativeSslUtil(SSLHostConfigCertificate certificate, TicketKeeperSslImplementation connector) {
        super(certificate);
        this.certificate = certificate;
        this.connector = connector;
    }

    @Override
    public SSLContext createSSLContextInternal(List<String> negotiableProtocols) throws Exception {
        return new TcnativeSslContext(certificate, negotiableProtocols, connector);
    }
}
