package io.ticketkeeper.tomcat;

import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLImplementation;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.openssl.OpenSSLImplementation;

/** tomcat-native's JNI OpenSSL connector (Tomcat 10.1 and 11 with {@code AprLifecycleListener}, Java 17+). */
final class TcnativeConnector implements TomcatConnector {
    private final OpenSSLImplementation tomcat = new OpenSSLImplementation();

    @Override
    public String description() {
        return "tcnative " + TcnativeContexts.version() + " (" + TcnativeContexts.openSsl() + ")";
    }

    @Override
    public SSLImplementation tomcat() {
        return tomcat;
    }

    @Override
    public SSLUtil sslUtil(SSLHostConfigCertificate certificate, TicketKeeperSslImplementation connector) {
        return new TcnativeSslUtil(certificate, connector);
    }
}
