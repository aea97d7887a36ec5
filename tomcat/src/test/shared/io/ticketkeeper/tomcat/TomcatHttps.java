package io.ticketkeeper.tomcat;

import io.ticketkeeper.harness.HostCertificate;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * What every embedded test Tomcat serves, written once for Tomcat 11 (this module) and Tomcat 10.1 (tomcat/tcnative
 * compiles src/test/shared too; only API both have): one HTTPS connector and a servlet answering "ok HOST".
 */
public final class TomcatHttps {
    private TomcatHttps() {
    }

    /**
     * An HTTPS connector on an ephemeral loopback port naming {@code sslImplementationName}, with one
     * {@code SSLHostConfig} per virtual host (the first is the default), each with {@code certificate}. A connector
     * that cannot start fails {@code start()} (as -Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true makes
     * every connector do), instead of leaving Tomcat up without it.
     */
    public static Connector connector(String sslImplementationName, HostCertificate certificate,
            String... hostNames) {
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setThrowOnFailure(true);
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        connector.setProperty("sslImplementationName", sslImplementationName);
        connector.setProperty("defaultSSLHostConfigName", hostNames[0]);
        for (String host : hostNames) {
            SSLHostConfig config = new SSLHostConfig();
            config.setHostName(host);
            config.setProtocols("TLSv1.2+TLSv1.3");
            SSLHostConfigCertificate hostCertificate =
                    new SSLHostConfigCertificate(config, SSLHostConfigCertificate.Type.EC);
            hostCertificate.setCertificateFile(certificate.certificateFile().toString());
            hostCertificate.setCertificateKeyFile(certificate.keyFile().toString());
            config.addCertificate(hostCertificate);
            connector.addSslHostConfig(config);
        }
        return connector;
    }

    /** Makes {@code connector} Tomcat's one connector, and the root context's servlet the one answering "ok HOST". */
    public static void serve(Tomcat tomcat, Connector connector) {
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "ok", new Ok());
        context.addServletMappingDecoded("/", "ok");
    }

    private static final class Ok extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("ok " + request.getServerName());
        }
    }
}
