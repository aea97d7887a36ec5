package io.ticketkeeper.spring;

import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;

/** Whether a web server factory's server serves HTTPS (server.ssl.*): the only servers TicketKeeper has to do with. */
final class ServerSsl {
    private ServerSsl() {
    }

    static boolean enabled(Object factory) {
        return factory instanceof AbstractConfigurableWebServerFactory configurable && configurable.getSsl() != null
                && configurable.getSsl().isEnabled();
    }
}
