package io.ticketkeeper.spring;

import io.ticketkeeper.tomcat.TicketKeeperProperties;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Spring Boot 4's Reactor Netty ({@code org.springframework.boot.reactor.netty}); all but the factory's type is in
 * {@link NettyCustomizerSupport}.
 */
class Boot4NettyCustomizer extends NettyCustomizerSupport
        implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {
    Boot4NettyCustomizer(TicketKeeperProperties.Settings settings) {
        super(settings);
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        if (ServerSsl.enabled(factory)) {
            factory.addServerCustomizers(server -> secure(server, factory));
        }
    }
}
