package io.ticketkeeper.tomcat;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.SessionIdContext;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.fleet.FleetKeySource;
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
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TicketKeeper's options for a Tomcat connector from a small properties file. Every setting is optional:
 *
 * <pre>
 * # rotation (generated keys, the default), files, or a fleet's Redis (redis://, rediss://, redis-sentinel://,
 * # redis-cluster://; Lettuce on the class path)
 * keys = rotation
 * # rotation: how long a key seals (default 1h), and how long it then opens tickets (default 12h)
 * keys.sealFor = 1h
 * keys.openFor = 12h
 * # files: the first seals, all open; relative to this file's folder; reloaded every 10 s
 * keys.files = ticket.key, previous.key
 * # nginx (80 or 48 bytes), openssl-80, nginx-48, openssl-48, haproxy
 * keys.format = nginx
 * # a fleet: the keys that wrap ticket keys at rest in Redis, ID:BASE64 (32 bytes), the first wraps; every server
 * # of the fleet sets the same; keys.sealFor is the fleet's period, policy.maxAge how long a key then opens
 * keys.wrappingKeys = w1:BASE64
 * # default, or the name of a TicketPolicy class with a public no-argument constructor
 * policy = default
 * # the default policy's maximum ticket age, and the age from which a resumed ticket is renewed (default: half)
 * policy.maxAge = 12h
 * policy.renewAfter = 6h
 * # groups of hosts whose tickets resume on each other
 * shareTickets = a.test b.test; c.test d.test
 * # nginx's context (to share tickets with nginx), or hex bytes
 * sessionIdContext = nginx
 * # true: hosts resume tickets bound to no host (nginx's, from shared keys)
 * acceptUnboundTickets = false
 * # none, memory[:SIZE] or redis://host:port (Lettuce on the class path); redis: sealing keys, the first seals
 * sessionCache = none
 * sessionCache.sealingKeys = k1:BASE64
 * # the handle as an MXBean io.ticketkeeper:type=TicketKeeper,name="tomcat-N" (default true)
 * jmx = true
 * </pre>
 *
 * Comments go on their own lines ({@code #} or {@code !} first), as in every properties file; a value's
 * {@code " #"} (white space, then {@code #}) and what follows it is taken for a comment too, so that
 * {@code keys = files   # or rotation} reads {@code files}.
 *
 * Durations read {@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 1d}. A wrong setting fails the
 * connector's start with a message naming the file, the setting and the value.
 */
public final class TicketKeeperProperties {
    /** The system property naming the file. */
    public static final String FILE_PROPERTY = "ticketkeeper.tomcat.properties";

    private static final Set<String> SETTINGS = Set.of("keys", "keys.sealFor", "keys.openFor", "keys.files",
            "keys.format", "keys.wrappingKeys", "policy", "policy.maxAge", "policy.renewAfter", "shareTickets", "sessionIdContext",
            "sessionCache", "sessionCache.sealingKeys", "acceptUnboundTickets", "jmx");
    private static final Pattern INLINE_COMMENT = Pattern.compile("\\s+#.*$");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern FLEET_URI = Pattern.compile("^rediss?(-sentinel|-cluster)?://.*");
    /** The password of a URI's user info ("scheme://user:password@"), which no message may show. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(://[^:/@]*):[^@/]*@");

    private final Properties properties;
    private final Path base;
    private final String source;
    /** How a message names a setting: as it is in a file; an embedding names its own ({@code ticketkeeper.keys}). */
    private final UnaryOperator<String> settingName;

    private TicketKeeperProperties(Properties properties, Path base, String source, UnaryOperator<String> settingName) {
        this.properties = properties;
        this.base = base;
        this.source = source;
        this.settingName = settingName;
    }

    /**
     * The options from the file that the system property {@value #FILE_PROPERTY} names, else from
     * {@code conf/ticketkeeper.properties} under {@code catalina.base} when it exists, else TicketKeeper's defaults
     * (generated keys rotating hourly, the default policy).
     */
    public static TicketKeeperOptions load() {
        return settings().options();
    }

    /** The settings {@link #load()} reads, with the adapter's own ({@code jmx}) and where they came from. */
    public static Settings settings() {
        String named = System.getProperty(FILE_PROPERTY);
        if (named != null) {
            return readSettings(Path.of(named));
        }
        String catalinaBase = System.getProperty("catalina.base");
        if (catalinaBase != null) {
            Path conf = Path.of(catalinaBase, "conf", "ticketkeeper.properties");
            if (Files.isRegularFile(conf)) {
                return readSettings(conf);
            }
        }
        return new Settings(TicketKeeperOptions.builder().keySource(KeyRotation.defaults()).build(), true,
                "defaults: no " + (catalinaBase == null ? "-D" + FILE_PROPERTY
                        : Path.of(catalinaBase, "conf", "ticketkeeper.properties").toString()));
    }

    /** The options in {@code file}; relative key file paths are resolved against its folder. */
    public static TicketKeeperOptions read(Path file) {
        return readSettings(file).options();
    }

    /** The settings in {@code file}. */
    public static Settings readSettings(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read TicketKeeper's settings (" + e + ")", e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return parseSettings(properties, folder, file.toString());
    }

    /** The options {@code properties} set; relative paths resolve against {@code base}. */
    public static TicketKeeperOptions parse(Properties properties, Path base, String source) {
        return parseSettings(properties, base, source).options();
    }

    /** The settings {@code properties} set; relative paths resolve against {@code base}. */
    public static Settings parseSettings(Properties properties, Path base, String source) {
        return parseSettings(properties, base, source, UnaryOperator.identity());
    }

    /**
     * The settings {@code properties} set, for an embedding whose settings have names of their own (Spring's
     * {@code ticketkeeper.keys.seal-for} for {@code keys.sealFor}): messages name a setting as {@code settingName}
     * gives it.
     */
    public static Settings parseSettings(Properties properties, Path base, String source,
            UnaryOperator<String> settingName) {
        TicketKeeperProperties parsed = new TicketKeeperProperties(properties, base, source, settingName);
        return new Settings(parsed.options(), parsed.jmx(), source);
    }

    /** What a properties file sets: TicketKeeper's options, the adapter's own settings, and the file. */
    public static final class Settings {
        private final TicketKeeperOptions options;
        private final boolean jmx;
        private final String source;

        Settings(TicketKeeperOptions options, boolean jmx, String source) {
            this.options = options;
            this.jmx = jmx;
            this.source = source;
        }

        /** TicketKeeper's options. */
        public TicketKeeperOptions options() {
            return options;
        }

        /** Whether the connector's handle is registered as an MXBean. */
        public boolean jmx() {
            return jmx;
        }

        /** The file, or what the defaults stand in for. */
        public String source() {
            return source;
        }
    }

    private boolean jmx() {
        String jmx = value("jmx", "true");
        switch (jmx.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw invalid("jmx", jmx, "expected true or false");
        }
    }

    private TicketKeeperOptions options() {
        for (String name : properties.stringPropertyNames()) {
            if (!SETTINGS.contains(name)) {
                throw new IllegalArgumentException(source + ": unknown setting '" + settingName.apply(name) + "'; known: "
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
        String acceptUnbound = value("acceptUnboundTickets", "false").trim();
        checked("acceptUnboundTickets", () -> {
            if (!acceptUnbound.equals("true") && !acceptUnbound.equals("false")) {
                throw new IllegalArgumentException("'" + acceptUnbound + "' is not true or false");
            }
            options.acceptUnboundTickets(Boolean.parseBoolean(acceptUnbound));
        });
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
            throw new IllegalArgumentException(source + ": " + settingName.apply(name) + " = '"
                    + shown(value(name, "")) + "': " + e.getMessage(), e);
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
                if (FLEET_URI.matcher(keys).matches()) {
                    options.keySource(fleet(keys));
                    return;
                }
                throw invalid("keys", keys, "expected rotation, files or a Redis URI (redis://, rediss://, "
                        + "redis-sentinel://, redis-cluster://)");
        }
    }

    /** The fleet's Redis at {@code uri}: its period is keys.sealFor, its keys open for policy.maxAge. */
    private FleetKeySource fleet(String uri) {
        List<SealingKey> wrappingKeys = new ArrayList<>();
        for (String key : list("keys.wrappingKeys", ",")) {
            try {
                wrappingKeys.add(SealingKey.parse(key.trim()));
            } catch (IllegalArgumentException e) {
                // The value is key material: named, never shown.
                throw invalid("keys.wrappingKeys", "(not shown)", e.getMessage());
            }
        }
        if (wrappingKeys.isEmpty()) {
            throw invalid("keys.wrappingKeys", "", "a fleet's keys need at least one wrapping key (ID:BASE64)");
        }
        try {
            return FleetKeySource.builder(uri, wrappingKeys)
                    .rotateEvery(duration("keys.sealFor", Duration.ofHours(1)))
                    .maxTicketAge(duration("policy.maxAge", Duration.ofHours(12)))
                    .build();
        } catch (NoClassDefFoundError e) {
            throw invalid("keys", uri, "a fleet needs Lettuce (io.lettuce:lettuce-core) on the class path");
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
            Duration maxAge = duration("policy.maxAge", Duration.ofHours(12));
            Duration renewAfter = duration("policy.renewAfter", maxAge.dividedBy(2));
            if (renewAfter.compareTo(maxAge) > 0) {
                // The setting at fault is named, with the one it is held to (the library's message names neither).
                throw invalid("policy.renewAfter", value("policy.renewAfter", ""), "must be between 0 and "
                        + settingName.apply("policy.maxAge") + " ('" + value("policy.maxAge", "12h") + "')");
            }
            return DefaultTicketPolicy.builder().maxAge(maxAge).renewAfter(renewAfter).build();
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
        if (value != null) {
            value = INLINE_COMMENT.matcher(value).replaceFirst("");
        }
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
        return new IllegalArgumentException(source + ": " + settingName.apply(name) + " = '" + shown(value) + "': "
                + reason);
    }

    /**
     * A value as an error message may show it: a Redis URI's password becomes "***" (the library's own messages
     * do the same; its helper is internal to its module).
     */
    static String shown(String value) {
        return USER_INFO_PASSWORD.matcher(value).replaceAll("$1:***@");
    }
}
