package io.ticketkeeper.tomcat;

import io.ticketkeeper.harness.HostCertificate;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * An embedded Tomcat 11 with one HTTPS connector on an ephemeral loopback port, Tomcat's FFM OpenSSL connector
 * under {@code sslImplementationName}, one {@code SSLHostConfig} per virtual host (the first is the default) with
 * one certificate, and a servlet that answers every request with "ok HOST".
 */
final class EmbeddedTomcat implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;

    private EmbeddedTomcat(Tomcat tomcat, Connector connector) {
        this.tomcat = tomcat;
        this.connector = connector;
    }

    static EmbeddedTomcat start(Path baseDir, String sslImplementationName, HostCertificate certificate,
            String... hostNames) throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        // A connector that cannot start fails start() (as -Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true
        // makes every connector do), instead of leaving Tomcat up without it.
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
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "ok", new Ok());
        context.addServletMappingDecoded("/", "ok");
        try {
            tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            tomcat.stop();
            tomcat.destroy();
            throw e;
        }
        return new EmbeddedTomcat(tomcat, connector);
    }

    int port() {
        return connector.getLocalPort();
    }

    /** What an operator's reload does: new contexts for every virtual host, the old ones left to Tomcat's GC. */
    void reloadSslHostConfigs() {
        ((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).reloadSslHostConfigs();
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
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
