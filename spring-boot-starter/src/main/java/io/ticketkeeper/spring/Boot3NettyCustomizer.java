package io.ticketkeeper.spring;

import io.ticketkeeper.tomcat.TicketKeeperProperties;

import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Spring Boot 3's Reactor Netty ({@code org.springframework.boot.web.embedded.netty}); all but the factory's type is in
 * {@link NettyCustomizerSupport}.
 */
class Boot3NettyCustomizer extends NettyCustomizerSupport
        implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {
    Boot3NettyCustomizer(TicketKeeperProperties.Settings settings) {
        super(settings);
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        if (ServerSsl.enabled(factory)) {
            factory.addServerCustomizers(server -> secure(server, factory));
        }
    }
}
