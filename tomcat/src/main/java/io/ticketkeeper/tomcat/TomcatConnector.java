package io.ticketkeeper.tomcat;

import org.apache.tomcat.util.net.SSLImplementation;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * One of Tomcat's two OpenSSL connectors, as {@link TicketKeeperSslImplementation} drives it: tomcat-native's JNI
 * connector ({@link TcnativeConnector}, Java 17+) or the FFM connector ({@code FfmConnector}, Java 22+, compiled
 * from its own source root at release 22 and only ever loaded by name, so that Java 17 never sees its classes).
 */
interface TomcatConnector {
    /** "tcnative 1.2.35" or "ffm": what the start line says. */
    String description();

    /** Tomcat's own implementation of this connector, which answers everything but the contexts. */
    SSLImplementation tomcat();

    /** An {@code SSLUtil} whose contexts join {@code connector}'s handle. */
    SSLUtil sslUtil(SSLHostConfigCertificate certificate, TicketKeeperSslImplementation connector);
}
