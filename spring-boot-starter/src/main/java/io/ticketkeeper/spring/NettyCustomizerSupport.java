package io.ticketkeeper.spring;

import io.ticketkeeper.tomcat.TicketKeeperProperties;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.core.Ordered;
import reactor.netty.http.server.HttpServer;

/**
 * What Spring Boot 3's and 4's Reactor Netty customizers share ({@link Boot3NettyCustomizer},
 * {@link Boot4NettyCustomizer}): TicketKeeper on each server, its order, and the releases when the application
 * closes. They stay two classes only because Boot 4 moved {@code NettyReactiveWebServerFactory} (the type argument
 * of the {@code WebServerFactoryCustomizer} they implement) to another package; each keeps only {@code customize}.
 */
abstract class NettyCustomizerSupport implements Ordered, DisposableBean {
    private final TicketKeeperProperties.Settings settings;
    private final List<Runnable> releases = new CopyOnWriteArrayList<>();

    NettyCustomizerSupport(TicketKeeperProperties.Settings settings) {
        this.settings = settings;
    }

    /** {@code server} with TicketKeeper, as {@code factory} configured it; released in {@link #destroy()}. */
    final HttpServer secure(HttpServer server, AbstractConfigurableWebServerFactory factory) {
        return NettySetup.secure(server, factory, settings, releases::add);
    }

    /** After Boot's own customizers. */
    @Override
    public final int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The application closes: the handles close (after the server stopped), then their contexts are released. */
    @Override
    public final void destroy() {
        releases.forEach(Runnable::run);
        releases.clear();
    }
}
