package io.ticketkeeper.tomcat;

import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLImplementation;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.openssl.panama.OpenSSLImplementation;

/** Tomcat's FFM OpenSSL connector (Tomcat 11's {@code tomcat-coyote-ffm}, Java 22+). Loaded by name only. */
final class FfmConnector implements TomcatConnector {
    private final OpenSSLImplementation tomcat = new OpenSSLImplementation();

    @Override
    public String description() {
        return "ffm";
    }

    @Override
    public SSLImplementation tomcat() {
        return tomcat;
    }

    @Override
    public SSLUtil sslUtil(SSLHostConfigCertificate certificate, TicketKeeperSslImplementation connector) {
        return new FfmSslUtil(certificate, connector);
    }
}
