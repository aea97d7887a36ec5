package io.ticketkeeper.tomcat;

import io.ticketkeeper.harness.HostCertificate;

import java.nio.file.Path;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.AbstractHttp11Protocol;

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
        Connector connector = TomcatHttps.connector(sslImplementationName, certificate, hostNames);
        TomcatHttps.serve(tomcat, connector);
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
}
