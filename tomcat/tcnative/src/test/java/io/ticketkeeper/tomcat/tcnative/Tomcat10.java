package io.ticketkeeper.tomcat.tcnative;

import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.tomcat.TomcatHttps;

import java.nio.file.Path;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.AprLifecycleListener;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.AbstractHttp11Protocol;

/**
 * An embedded Tomcat 10.1 as its default {@code server.xml} sets it up for tomcat-native: an
 * {@code AprLifecycleListener} that loads {@code libtcnative-1}, then one NIO HTTPS connector on an ephemeral
 * loopback port naming {@code sslImplementationName}, one {@code SSLHostConfig} per virtual host (the first is the
 * default) and a servlet that answers "ok HOST". {@code throwOnFailure} makes a connector that cannot start fail
 * {@code start()} instead of leaving Tomcat up without it.
 */
final class Tomcat10 implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;

    private Tomcat10(Tomcat tomcat, Connector connector) {
        this.tomcat = tomcat;
        this.connector = connector;
    }

    static Tomcat10 start(Path baseDir, String sslImplementationName, HostCertificate certificate,
            String... hostNames) throws LifecycleException {
        return start(baseDir, sslImplementationName, certificate, true, hostNames);
    }

    /**
     * With {@code channelCache} false, Tomcat keeps no closed connection's channel for reuse ({@code
     * socket.bufferPool="0"}): a kept channel holds the engine it last had, and so that engine's context, until a
     * new connection takes it, which a quiet test server may never do.
     */
    static Tomcat10 start(Path baseDir, String sslImplementationName, HostCertificate certificate,
            boolean channelCache, String... hostNames) throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.getServer().addLifecycleListener(new AprLifecycleListener());
        Connector connector = TomcatHttps.connector(sslImplementationName, certificate, hostNames);
        if (!channelCache) {
            connector.setProperty("socket.bufferPool", "0");
        }
        TomcatHttps.serve(tomcat, connector);
        try {
            tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            stop(tomcat);
            throw e;
        }
        return new Tomcat10(tomcat, connector);
    }

    int port() {
        return connector.getLocalPort();
    }

    /** What an operator's reload does: new contexts for every virtual host, the old ones left to Tomcat's GC. */
    void reloadSslHostConfigs() {
        ((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).reloadSslHostConfigs();
    }

    void reloadSslHostConfig(String hostName) {
        ((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).reloadSslHostConfig(hostName);
    }

    /**
     * Stops without destroying: the connector stops serving, its contexts stay until the JVM ends (see
     * TcnativeReloadsTest for why).
     */
    void stopWithoutDestroy() throws LifecycleException {
        tomcat.stop();
    }

    @Override
    public void close() throws LifecycleException {
        stop(tomcat);
    }

    private static void stop(Tomcat tomcat) throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
