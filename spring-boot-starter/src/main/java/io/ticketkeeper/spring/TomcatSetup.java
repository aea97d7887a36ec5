package io.ticketkeeper.spring;

import io.ticketkeeper.tomcat.TicketKeeperSslImplementation;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.jar.Manifest;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.util.ServerInfo;

/**
 * What both generations of Boot do to an embedded Tomcat, whatever their factory types are called: choose the OpenSSL
 * connector before the server is made (failing the start with one message saying what to add when there is none), and
 * name {@link SpringSslImplementation} on every HTTPS connector.
 */
final class TomcatSetup {
    static final String PANAMA = "org.apache.tomcat.util.net.openssl.panama.OpenSSLImplementation";

    private TomcatSetup() {
    }

    /**
     * Checks that Tomcat has an OpenSSL connector TicketKeeper can drive and, when it is tomcat-native, asks Boot for
     * Tomcat's {@code AprLifecycleListener} (which loads it) through {@code useApr}.
     *
     * @throws TicketKeeperConfigurationException when there is none, saying what to add
     */
    static void chooseConnector(Consumer<Boolean> useApr) {
        String forced = System.getProperty(TicketKeeperSslImplementation.CONNECTOR_PROPERTY, "").trim()
                .toLowerCase(Locale.ROOT);
        int java = Runtime.version().feature();
        String tomcat = ServerInfo.getServerNumber();
        boolean tomcat11 = tomcat.startsWith("11.");
        Class<?> panama = load(PANAMA);
        if (!forced.equals("tcnative") && java >= 22 && panama != null) {
            checkFfmVersion(panama, tomcat);
            return;
        }
        List<Path> searched = new ArrayList<>();
        if (!forced.equals("ffm") && tcnativeFound(searched)) {
            useApr.accept(true);
            return;
        }
        String ffmVersion = ffmVersion();
        String ffm = "add the dependency io.ticketkeeper:ticketkeeper-tomcat-coyote-ffm (Tomcat " + ffmVersion
                + "'s FFM connector) and set the Maven property tomcat.version to " + ffmVersion;
        String tcnative = "install tomcat-native (Debian: apt-get install libtcnative-1; Tomcat 10.1 takes 1.2.34+, "
                + "Tomcat 11 2.0+) and start Java with -Djava.library.path=<its folder> (searched: " + searched + ")";
        String message = "Tomcat " + tomcat + " on Java " + java + " has no OpenSSL connector for TicketKeeper";
        String action;
        if (forced.equals("tcnative")) {
            action = "Either " + tcnative + ", or drop -D" + TicketKeeperSslImplementation.CONNECTOR_PROPERTY + ".";
        } else if (tomcat11 && java >= 22) {
            action = "Either " + ffm + ", or " + tcnative + ".";
        } else if (tomcat11) {
            action = "Either " + tcnative + ", or run on Java 22+ and " + ffm + ".";
        } else {
            action = "Either " + tcnative + ", or move to Spring Boot 4 (Tomcat 11) on Java 22+.";
        }
        throw new TicketKeeperConfigurationException(message + (forced.isEmpty() ? ""
                : " (-D" + TicketKeeperSslImplementation.CONNECTOR_PROPERTY + "=" + forced + ")"), action
                + " Or set ticketkeeper.enabled=false to run without TicketKeeper.", null);
    }

    /** Tomcat's FFM classes must be of the Tomcat that runs: they call into its internals. */
    private static void checkFfmVersion(Class<?> panama, String tomcat) {
        String ffm = implementationVersion(panama);
        if (ffm != null && !tomcat.startsWith(ffm + ".") && !tomcat.equals(ffm)) {
            throw new TicketKeeperConfigurationException("Tomcat's FFM connector on the class path is Tomcat " + ffm
                    + "'s, but Tomcat " + tomcat + " runs",
                    "Set the Maven property tomcat.version to " + ffm + " (Spring Boot's managed Tomcat version).",
                    null);
        }
    }

    /** The Implementation-Version of the jar that holds {@code type}, or null when it says none. */
    private static String implementationVersion(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        if (version != null) {
            return version;
        }
        // Boot's nested jars may define packages without their manifest: read the jar's own.
        String self = "/" + type.getName().replace('.', '/') + ".class";
        String url = String.valueOf(type.getResource(self));
        int bang = url.lastIndexOf("!/");
        if (bang < 0) {
            return null;
        }
        try (InputStream in = java.net.URI.create(url.substring(0, bang) + "!/META-INF/MANIFEST.MF").toURL().openStream()) {
            return new Manifest(in).getMainAttributes().getValue("Implementation-Version");
        } catch (IOException e) {
            return null;
        }
    }

    /** The Tomcat whose FFM connector ticketkeeper-tomcat-coyote-ffm carries (this build's). */
    static String ffmVersion() {
        Properties build = new Properties();
        try (InputStream in = TomcatSetup.class.getResourceAsStream("build.properties")) {
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build.getProperty("tomcat.ffm.version");
    }

    /** Whether libtcnative-1 or -2 is in one of java.library.path's folders, which it is loaded from. */
    private static boolean tcnativeFound(List<Path> searched) {
        for (String folder : System.getProperty("java.library.path", "").split(File.pathSeparator)) {
            if (folder.isBlank()) {
                continue;
            }
            searched.add(Path.of(folder));
            for (String name : List.of("tcnative-2", "libtcnative-2", "tcnative-1", "libtcnative-1")) {
                if (Files.isRegularFile(Path.of(folder, System.mapLibraryName(name)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Names TicketKeeper's implementation on an HTTPS connector; connectors without TLS are left alone. */
    static void customize(Connector connector) {
        // By property: the setter sits in different classes in Tomcat 10.1 and 11.
        if (Boolean.parseBoolean(String.valueOf(connector.getProperty("SSLEnabled")))) {
            connector.setProperty("sslImplementationName", SpringSslImplementation.class.getName());
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, TomcatSetup.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
