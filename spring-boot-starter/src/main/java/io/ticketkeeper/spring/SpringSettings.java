package io.ticketkeeper.spring;

import io.ticketkeeper.tomcat.TicketKeeperProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Spring's {@code ticketkeeper.*} properties read by {@code ticketkeeper-tomcat}'s own settings parser (one parser,
 * one set of rules), with messages that name the properties as Spring spells them.
 */
final class SpringSettings {
    static final String SOURCE = "Spring Boot's ticketkeeper.* properties";

    /** The parser's names whose Spring names are not the plain kebab-case of the parser's. */
    private static final Map<String, String> NAMES = Map.of(
            "keys", "ticketkeeper.keys.source",
            "policy", "ticketkeeper.policy",
            "policy.className", "ticketkeeper.policy.class-name",
            "sessionCache", "ticketkeeper.session-cache.store",
            "jmx", "ticketkeeper.jmx.enabled");

    /** The settings Tomcat's connectors take (see {@link SpringSslImplementation}); set at start. */
    private static volatile Supplier<TicketKeeperProperties.Settings> current;

    private SpringSettings() {
    }

    /** Hands {@code settings} to every TicketKeeper connector of this JVM from now on. */
    static void use(Supplier<TicketKeeperProperties.Settings> settings) {
        current = settings;
    }

    /** What {@link #use} set, or null before the application started. */
    static Supplier<TicketKeeperProperties.Settings> current() {
        return current;
    }

    /**
     * The settings {@code properties} make.
     *
     * @throws TicketKeeperConfigurationException naming the property, its value and what is wrong
     */
    static TicketKeeperProperties.Settings parse(TicketKeeperSpringProperties properties) {
        try {
            // Relative key files resolve against the working directory, as Spring's own file paths do.
            return TicketKeeperProperties.parseSettings(toFile(properties), Path.of("").toAbsolutePath(), SOURCE,
                    SpringSettings::springName);
        } catch (IllegalArgumentException e) {
            throw new TicketKeeperConfigurationException(e.getMessage(), e);
        }
    }

    /** The properties file that {@code ticketkeeper-tomcat} would read for the same settings. */
    static Properties toFile(TicketKeeperSpringProperties spring) {
        Properties file = new Properties();
        TicketKeeperSpringProperties.Keys keys = spring.getKeys();
        put(file, "keys", keys.getSource());
        put(file, "keys.sealFor", keys.getSealFor());
        put(file, "keys.openFor", keys.getOpenFor());
        put(file, "keys.files", keys.getFiles(), ",");
        put(file, "keys.format", keys.getFormat());
        put(file, "keys.wrappingKeys", keys.getWrappingKeys(), ",");
        TicketKeeperSpringProperties.Policy policy = spring.getPolicy();
        put(file, "policy", policy.getClassName());
        put(file, "policy.maxAge", policy.getMaxAge());
        put(file, "policy.renewAfter", policy.getRenewAfter());
        put(file, "shareTickets", spring.getShareTickets(), ";");
        put(file, "sessionIdContext", spring.getSessionIdContext());
        put(file, "acceptUnboundTickets", String.valueOf(spring.isAcceptUnboundTickets()));
        put(file, "sessionCache", spring.getSessionCache().getStore());
        put(file, "sessionCache.sealingKeys", spring.getSessionCache().getSealingKeys(), ",");
        put(file, "jmx", String.valueOf(spring.getJmx().isEnabled()));
        return file;
    }

    /** {@code keys.sealFor} is {@code ticketkeeper.keys.seal-for}. */
    static String springName(String fileName) {
        String named = NAMES.get(fileName);
        if (named != null) {
            return named;
        }
        return "ticketkeeper." + fileName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static void put(Properties file, String name, String value) {
        if (value != null && !value.isBlank()) {
            file.setProperty(name, value);
        }
    }

    private static void put(Properties file, String name, Duration value) {
        if (value != null) {
            file.setProperty(name, text(value));
        }
    }

    /** A duration as the parser reads it, in its largest whole unit (messages show it): 90s, 2m, 12h, 1d. */
    static String text(Duration value) {
        long millis = value.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis != 0 && millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }

    private static void put(Properties file, String name, List<String> values, String separator) {
        if (values != null && !values.isEmpty()) {
            file.setProperty(name, String.join(separator, values));
        }
    }
}
