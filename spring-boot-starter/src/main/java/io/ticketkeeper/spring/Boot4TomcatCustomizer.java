package io.ticketkeeper.spring;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/** Spring Boot 4's embedded Tomcat ({@code org.springframework.boot.tomcat}). */
class Boot4TomcatCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {
    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        if (!ServerSsl.enabled(factory)) {
            return;
        }
        TomcatSetup.chooseConnector(factory::setUseApr);
        factory.addConnectorCustomizers(TomcatSetup::customize);
    }

    /** After Boot's own customizers, which set useApr from server.tomcat.use-apr (never, by default). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
