package io.ticketkeeper.spring;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.jmx.TicketKeeperJmx;
import io.ticketkeeper.netty.TicketKeeperNetty;
import io.ticketkeeper.netty.TicketKeeperSniMapping;
import io.ticketkeeper.tomcat.TicketKeeperProperties;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import javax.net.ssl.SSLException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import reactor.netty.http.server.HttpServer;

/**
 * Spring WebFlux on Reactor Netty, both generations of Boot: the server's contexts are made again from Spring's SSL
 * bundles with Netty's OpenSSL provider, TicketKeeper is installed on them through {@code ticketkeeper-netty} (one
 * handle, one context per host, tickets bound to their host), and they replace the ones Boot made. HTTP/1.1 only.
 * The handle is an MXBean {@code io.ticketkeeper:type=TicketKeeper,name="webflux-N"} unless
 * {@code ticketkeeper.jmx.enabled=false}.
 */
final class NettySetup {
    private static final Set<TicketKeeperHandle> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private NettySetup() {
    }

    /** The handles the WebFlux servers of this JVM have open. */
    static Set<TicketKeeperHandle> openHandles() {
        return Set.copyOf(OPEN);
    }

    /**
     * The server customizer for {@code factory}'s HTTPS server; {@code release} receives what closes the handle.
     *
     * @throws TicketKeeperConfigurationException when Netty's OpenSSL provider is not available
     */
    static HttpServer secure(HttpServer server, AbstractConfigurableWebServerFactory factory,
            TicketKeeperProperties.Settings settings, java.util.function.Consumer<Runnable> release) {
        if (!io.netty.handler.ssl.OpenSsl.isAvailable()) {
            throw new TicketKeeperConfigurationException("Netty's OpenSSL provider is not available ("
                    + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + ")",
                    "Add netty-tcnative built against the OpenSSL this process loads (docs/netty.md), or set "
                    + "ticketkeeper.enabled=false.", null);
        }
        Ssl ssl = factory.getSsl();
        SslBundles bundles = factory.getSslBundles();
        SslContext defaultContext = context(bundles.getBundle(ssl.getBundle()));
        Map<String, SslContext> hosts = new LinkedHashMap<>();
        for (Ssl.ServerNameSslBundle named : ssl.getServerNameBundles()) {
            hosts.put(named.serverName(), context(bundles.getBundle(named.bundle())));
        }
        TicketKeeperSniMapping mapping = TicketKeeperNetty.sni(defaultContext, hosts, settings.options());
        TicketKeeperHandle handle = mapping.handle();
        OPEN.add(handle);
        ObjectName mxBean = settings.jmx() ? TicketKeeperJmx.register(handle, "webflux-" + SERVERS.incrementAndGet())
                : null;
        release.accept(() -> {
            OPEN.remove(handle);
            if (mxBean != null) {
                TicketKeeperJmx.unregister(mxBean);
            }
            mapping.release();
        });
        return server.secure(spec -> {
            reactor.netty.tcp.SslProvider.Builder builder = spec.sslContext(mapping.map(null));
            for (String host : hosts.keySet()) {
                SslContext context = mapping.map(host);
                builder.addSniMapping(host, hostSpec -> hostSpec.sslContext(context));
            }
        });
    }

    private static SslContext context(SslBundle bundle) {
        try {
            return SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
                    .sslProvider(SslProvider.OPENSSL_REFCNT).build();
        } catch (SSLException e) {
            throw new TicketKeeperConfigurationException("cannot make an OpenSSL context from an SSL bundle: " + e,
                    "Check the SSL bundle named by server.ssl.", e);
        }
    }
}
