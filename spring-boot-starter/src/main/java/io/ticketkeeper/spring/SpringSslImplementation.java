package io.ticketkeeper.spring;

import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.tomcat.TicketKeeperProperties;
import io.ticketkeeper.tomcat.TicketKeeperSslImplementation;

import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The {@code sslImplementationName} the starter gives Tomcat's HTTPS connector: {@code ticketkeeper-tomcat}'s
 * implementation with its settings from Spring's {@code ticketkeeper.*} properties instead of a file. Tomcat makes
 * it by class name, so the settings reach it through a static reference ({@link SpringSettings#current()}) that the auto-configuration sets
 * before the server starts: one TicketKeeper configuration per JVM (each connector still gets its own handle).
 */
public class SpringSslImplementation extends TicketKeeperSslImplementation {
    private static final Log LOG = LogFactory.getLog(TicketKeeperSslImplementation.class);
    private static TicketKeeperProperties.Settings settings() {
        Supplier<TicketKeeperProperties.Settings> supplier = SpringSettings.current();
        if (supplier == null) {
            throw new IllegalArgumentException(SpringSettings.SOURCE + ": not read yet (" + SpringSslImplementation.class
                    .getName() + " is the Spring Boot starter's; a server.xml names "
                    + TicketKeeperSslImplementation.class.getName() + ")");
        }
        return supplier.get();
    }

    @Override
    protected TicketKeeperOptions options() {
        return settings().options();
    }

    @Override
    protected boolean jmx() {
        return settings().jmx();
    }

    /**
     * Through Spring's own logging: the JVM's shutdown hook resets java.util.logging while Spring still stops the
     * server, which would lose the stop line.
     */
    @Override
    protected void info(String line) {
        LOG.info(line);
    }

    @Override
    protected String settingsSource() {
        return SpringSettings.SOURCE;
    }
}
