package io.ticketkeeper.tomcat;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.SessionIdContext;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionStores;
import io.ticketkeeper.session.redis.SealingKey;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TicketKeeper's options for a Tomcat connector from a small properties file. Every setting is optional:
 *
 * <pre>
 * keys = rotation                      # generated keys rotating (default), or: files
 * keys.sealFor = 1h                    # rotation: how long a key seals (default 1h)
 * keys.openFor = 12h                   # rotation: how long it then opens tickets (default 12h)
 * keys.files = ticket.key, previous.key  # files: the first seals, all open; relative to this file's folder
 * keys.format = nginx                  # nginx (80 or 48 bytes), openssl-80, nginx-48, openssl-48, haproxy
 * policy = default                     # or the name of a TicketPolicy class with a public no-argument constructor
 * policy.maxAge = 12h                  # the default policy's maximum ticket age
 * policy.renewAfter = 6h               # ... and the age from which a resumed ticket is renewed
 * shareTickets = a.test b.test; c.test d.test   # groups of hosts whose tickets resume on each other
 * sessionIdContext = nginx             # nginx's context (to share tickets with nginx), or hex bytes
 * sessionCache = none                  # none, memory[:SIZE] or redis://host:port (Lettuce on the class path)
 * sessionCache.sealingKeys = k1:BASE64 # redis: sealing keys, the first seals
 * </pre>
 *
 * Durations read {@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 1d}. A wrong setting fails the
 * connector's start with a message naming the file, the setting and the value.
 */
public final class TicketKeeperProperties {
    /** The system property naming the file. */
    public static final String FILE_PROPERTY = "ticketkeeper.tomcat.properties";

    private static final Set<String> SETTINGS = Set.of("keys", "keys.sealFor", "keys.openFor", "keys.files",
            "keys.format", "policy", "policy.maxAge", "policy.renewAfter", "shareTickets", "sessionIdContext",
            "sessionCache", "sessionCache.sealingKeys");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Properties properties;
    private final Path base;
    private final String source;

    private TicketKeeperProperties(Properties properties, Path base, String source) {
        this.properties = properties;
        this.base = base;
        this.source = source;
    }

    /**
     * The options from the file that the system property {@value #FILE_PROPERTY} names, else from
     * {@code conf/ticketkeeper.properties} under {@code catalina.base} when it exists, else TicketKeeper's defaults
     * (generated keys rotating hourly, the default policy).
     */
    public static TicketKeeperOptions load() {
        String named = System.getProperty(FILE_PROPERTY);
        if (named != null) {
            return read(Path.of(named));
        }
        String catalinaBase = System.getProperty("catalina.base");
        if (catalinaBase != null) {
            Path conf = Path.of(catalinaBase, "conf", "ticketkeeper.properties");
            if (Files.isRegularFile(conf)) {
                return read(conf);
            }
        }
        return TicketKeeperOptions.builder().keySource(KeyRotation.defaults()).build();
    }

    /** The options in {@code file}; relative key file paths are resolved against its folder. */
    public static TicketKeeperOptions read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read TicketKeeper's settings (" + e + ")", e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(properties, folder, file.toString());
    }

    /** The options {@code properties} set; relative paths resolve against {@code base}. */
    public static TicketKeeperOptions parse(Properties properties, Path base, String source) {
        return new TicketKeeperProperties(properties, base, source).options();
    }

    private TicketKeeperOptions options() {
        for (String name : properties.stringPropertyNames()) {
            if (!SETTINGS.contains(name)) {
                throw new IllegalArgumentException(source + ": unknown setting '" + name + "'; known: "
                        + new TreeSet<>(SETTINGS));
            }
        }
        TicketKeeperOptions.Builder options = TicketKeeperOptions.builder();
        checked("keys", () -> keys(options));
        checked("policy", () -> options.policy(policy()));
        checked("shareTickets", () -> {
            for (String group : list("shareTickets", ";")) {
                options.shareTickets(group.trim().split("[\\s,]+"));
            }
        });
        String sessionIdContext = value("sessionIdContext", null);
        if (sessionIdContext != null) {
            checked("sessionIdContext", () -> options.sessionIdContext(sessionIdContext(sessionIdContext)));
        }
        checked("sessionCache", () -> {
            List<SealingKey> sealingKeys = new ArrayList<>();
            for (String key : list("sessionCache.sealingKeys", ",")) {
                sealingKeys.add(SealingKey.parse(key.trim()));
            }
            SessionStores.fromSpec(value("sessionCache", "none"), sealingKeys)
                    .ifPresent(store -> options.sessionCache(SessionCacheOptions.of(store)));
        });
        return options.build();
    }

    /** Runs one setting's step; a library error gets the file and the setting in front of its own message. */
    private void checked(String name, Runnable step) {
        try {
            step.run();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(source + ": ")) {
                throw e;
            }
            throw new IllegalArgumentException(source + ": " + name + " = '" + value(name, "") + "': "
                    + e.getMessage(), e);
        }
    }

    private void keys(TicketKeeperOptions.Builder options) {
        String keys = value("keys", "rotation");
        switch (keys.toLowerCase(Locale.ROOT)) {
            case "rotation":
                options.keySource(KeyRotation.builder()
                        .sealFor(duration("keys.sealFor", Duration.ofHours(1)))
                        .openFor(duration("keys.openFor", Duration.ofHours(12)))
                        .build());
                return;
            case "files":
                List<Path> files = new ArrayList<>();
                for (String file : list("keys.files", ",")) {
                    files.add(base.resolve(file.trim()));
                }
                if (files.isEmpty()) {
                    throw invalid("keys.files", "", "keys = files needs at least one file");
                }
                options.keySource(KeyFiles.of(format(value("keys.format", "nginx")), files.toArray(Path[]::new)));
                return;
            default:
                throw invalid("keys", keys, "expected rotation or files");
        }
    }

    private KeyFileFormat format(String format) {
        try {
            return KeyFileFormat.valueOf(format.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw invalid("keys.format", format, "expected nginx, openssl-80, nginx-48, openssl-48 or haproxy");
        }
    }

    private TicketPolicy policy() {
        String policy = value("policy", "default");
        if (policy.equals("default")) {
            return DefaultTicketPolicy.builder()
                    .maxAge(duration("policy.maxAge", Duration.ofHours(12)))
                    .renewAfter(duration("policy.renewAfter", duration("policy.maxAge", Duration.ofHours(12))
                            .dividedBy(2)))
                    .build();
        }
        try {
            Class<?> type = Class.forName(policy, true, Thread.currentThread().getContextClassLoader());
            return (TicketPolicy) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw invalid("policy", policy, "not a TicketPolicy class with a public no-argument constructor (" + e
                    + ")");
        }
    }

    private static SessionIdContext sessionIdContext(String value) {
        if (value.equals("nginx")) {
            return SessionIdContext.nginx();
        }
        return SessionIdContext.of(HexFormat.of().parseHex(value));
    }

    private Duration duration(String name, Duration otherwise) {
        String value = value(name, null);
        if (value == null) {
            return otherwise;
        }
        Matcher matcher = DURATION.matcher(value.trim());
        if (!matcher.matches()) {
            throw invalid(name, value, "not a duration (examples: 500ms, 30s, 5m, 12h, 1d)");
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }

    private String value(String name, String otherwise) {
        String value = properties.getProperty(name);
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    private List<String> list(String name, String separator) {
        String value = value(name, null);
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(separator)) {
                if (!item.isBlank()) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    private IllegalArgumentException invalid(String name, String value, String reason) {
        return new IllegalArgumentException(source + ": " + name + " = '" + value + "': " + reason);
    }
}
