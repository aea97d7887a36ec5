package io.ticketkeeper.spring;

import io.ticketkeeper.tomcat.TicketKeeperProperties;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/** Spring Boot 3's Reactor Netty ({@code org.springframework.boot.web.embedded.netty}). */
class Boot3NettyCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered,
        DisposableBean {
    private final TicketKeeperProperties.Settings settings;
    private final List<Runnable> releases = new CopyOnWriteArrayList<>();

    Boot3NettyCustomizer(TicketKeeperProperties.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        if (ServerSsl.enabled(factory)) {
            factory.addServerCustomizers(server -> NettySetup.secure(server, factory, settings, releases::add));
        }
    }

    /** After Boot's own customizers. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The application closes: the handles close (after the server stopped), then their contexts are released. */
    @Override
    public void destroy() {
        releases.forEach(Runnable::run);
        releases.clear();
    }
}
