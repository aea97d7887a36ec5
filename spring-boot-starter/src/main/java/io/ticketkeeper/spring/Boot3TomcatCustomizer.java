package io.ticketkeeper.spring;

import org.springframework.boot.web.embedded.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatReactiveWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/** Spring Boot 3's embedded Tomcat ({@code org.springframework.boot.web.embedded.tomcat}). */
class Boot3TomcatCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {
    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        if (!ServerSsl.enabled(factory)) {
            return;
        }
        TomcatSetup.chooseConnector(useApr -> {
            if (factory instanceof TomcatServletWebServerFactory servlet) {
                servlet.setUseApr(useApr);
            } else if (factory instanceof TomcatReactiveWebServerFactory reactive) {
                reactive.setUseApr(useApr);
            }
        });
        factory.addConnectorCustomizers(TomcatSetup::customize);
    }

    /** After Boot's own customizers, which set useApr from server.tomcat.use-apr (never, by default). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
