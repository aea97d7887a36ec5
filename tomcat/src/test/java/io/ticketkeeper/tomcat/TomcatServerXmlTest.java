package io.ticketkeeper.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.harness.SClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.apache.catalina.startup.Catalina;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way a Tomcat installation uses it: a {@code conf/server.xml} whose connector names
 * {@code sslImplementationName}, and TicketKeeper's settings in {@code conf/ticketkeeper.properties} under
 * {@code catalina.base}, started by Tomcat's own {@link Catalina}.
 */
class TomcatServerXmlTest {
    @TempDir
    Path base;

    @Test
    void aServerXmlConnectorNamedInTheReadmeWorks() throws Exception {
        Path conf = Files.createDirectories(base.resolve("conf"));
        Files.createDirectories(base.resolve("webapps"));
        HostCertificate certificate = HostCertificate.create(conf, "a.test", "b.test");
        byte[] key = new byte[80];
        new SecureRandom().nextBytes(key);
        Files.write(conf.resolve("ticket.key"), key);
        Files.writeString(conf.resolve("ticketkeeper.properties"), "keys = files\nkeys.files = ticket.key\n");
        StringBuilder hosts = new StringBuilder();
        for (String host : new String[] {"a.test", "b.test"}) {
            hosts.append("      <SSLHostConfig hostName=\"").append(host).append("\" protocols=\"TLSv1.2+TLSv1.3\">\n")
                    .append("        <Certificate certificateFile=\"").append(certificate.certificateFile())
                    .append("\" certificateKeyFile=\"").append(certificate.keyFile()).append("\" type=\"EC\"/>\n")
                    .append("      </SSLHostConfig>\n");
        }
        Files.writeString(conf.resolve("server.xml"), "<Server port=\"-1\">\n"
                + "  <Service name=\"Catalina\">\n"
                + "    <Connector port=\"0\" address=\"127.0.0.1\" protocol=\"org.apache.coyote.http11.Http11NioProtocol\""
                + " SSLEnabled=\"true\"\n"
                + "        sslImplementationName=\"io.ticketkeeper.tomcat.TicketKeeperSslImplementation\""
                + " defaultSSLHostConfigName=\"a.test\">\n"
                + hosts
                + "    </Connector>\n"
                + "    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
                + "      <Host name=\"localhost\" appBase=\"webapps\" autoDeploy=\"false\" deployOnStartup=\"false\"/>\n"
                + "    </Engine>\n"
                + "  </Service>\n"
                + "</Server>\n");
        String oldBase = System.setProperty("catalina.base", base.toString());
        String oldHome = System.setProperty("catalina.home", base.toString());
        Set<TicketKeeperHandle> before = TicketKeeperSslImplementation.openHandles();
        Catalina catalina = new Catalina();
        try {
            catalina.load();
            catalina.start();
            int port = catalina.getServer().findServices()[0].findConnectors()[0].getLocalPort();
            Set<TicketKeeperHandle> made = new HashSet<>(TicketKeeperSslImplementation.openHandles());
            made.removeAll(before);
            assertEquals(1, made.size(), "the server.xml connector made no handle");
            TicketKeeperHandle handle = made.iterator().next();
            assertEquals(2, handle.contexts().size());
            Path session = base.resolve("session.pem");
            SClient.connect(port, TlsVersion.TLS1_2, "b.test", null, session);
            assertTrue(SClient.reused(SClient.connect(port, TlsVersion.TLS1_2, "b.test", session, null),
                    TlsVersion.TLS1_2), "no resumption through the server.xml connector");
            assertEquals(1, handle.stats().resumed());
        } finally {
            catalina.stop();
            restore("catalina.base", oldBase);
            restore("catalina.home", oldHome);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
