package io.ticketkeeper.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.ticketkeeper.tomcat.TicketKeeperProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * TicketKeeper on Spring Boot's embedded Tomcat, and on Reactor Netty (WebFlux) with {@code ticketkeeper-netty}, Boot
 * 3.5 and 4.0 alike: the {@code ticketkeeper.*} settings are read (and checked) at start, the HTTPS connector names
 * {@link SpringSslImplementation} (Netty: {@link NettySetup} makes the server's contexts), and with Actuator a health
 * indicator and Micrometer's meters. Each generation's classes are picked by a class only it has
 * ({@code org.springframework.boot.web.embedded.tomcat} is Boot 3's Tomcat package, {@code org.springframework.boot.tomcat}
 * Boot 4's; {@code org.springframework.boot.actuate.health} and {@code org.springframework.boot.health.contributor}
 * the same for health).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "ticketkeeper", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TicketKeeperSpringProperties.class)
public class TicketKeeperAutoConfiguration {
    /**
     * The settings, read once at start: a wrong one stops the application here, naming the property, the value and
     * the reason. Every connector's handle then takes them.
     */
    @Bean
    TicketKeeperProperties.Settings ticketKeeperSettings(TicketKeeperSpringProperties properties) {
        TicketKeeperProperties.Settings settings = SpringSettings.parse(properties);
        SpringSettings.use(() -> settings);
        return settings;
    }

    // The customizers take the settings bean only to be made after it: the settings are checked, and handed to
    // SpringSslImplementation, before Tomcat exists.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.web.embedded.tomcat.ConfigurableTomcatWebServerFactory",
            "org.apache.catalina.startup.Tomcat"})
    static class Boot3Tomcat {
        @Bean
        Boot3TomcatCustomizer ticketKeeperTomcatCustomizer(TicketKeeperProperties.Settings settings) {
            return new Boot3TomcatCustomizer();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory",
            "org.apache.catalina.startup.Tomcat"})
    static class Boot4Tomcat {
        @Bean
        Boot4TomcatCustomizer ticketKeeperTomcatCustomizer(TicketKeeperProperties.Settings settings) {
            return new Boot4TomcatCustomizer();
        }
    }

    // Reactor Netty (Spring WebFlux) with ticketkeeper-netty on the class path.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory",
            "io.ticketkeeper.netty.TicketKeeperNetty", "reactor.netty.http.server.HttpServer"})
    static class Boot3Netty {
        @Bean
        Boot3NettyCustomizer ticketKeeperNettyCustomizer(TicketKeeperProperties.Settings settings) {
            return new Boot3NettyCustomizer(settings);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory",
            "io.ticketkeeper.netty.TicketKeeperNetty", "reactor.netty.http.server.HttpServer"})
    static class Boot4Netty {
        @Bean
        Boot4NettyCustomizer ticketKeeperNettyCustomizer(TicketKeeperProperties.Settings settings) {
            return new Boot4NettyCustomizer(settings);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot3Health {
        @Bean
        Boot3HealthIndicator ticketKeeperHealthIndicator() {
            return new Boot3HealthIndicator();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4Health {
        @Bean
        Boot4HealthIndicator ticketKeeperHealthIndicator() {
            return new Boot4HealthIndicator();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        TicketKeeperMetrics ticketKeeperMetrics(ObjectProvider<MeterRegistry> registries) {
            return new TicketKeeperMetrics(registries);
        }
    }
}
