package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKeeperException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the native shim: from the path in the system property {@value #PATH_PROPERTY} when it is set, else from
 * the copy for this platform inside the jar.
 */
public final class NativeLibrary {
    public static final String PATH_PROPERTY = "ticketkeeper.library.path";
    private static final String LIBRARY = "libticketkeeper.so";

    private NativeLibrary() {
    }

    private static boolean loaded;
    private static TicketKeeperException failure;

    /** Loads the shim once; later calls return at once, or report the first failure again. */
    public static synchronized void ensureLoaded() {
        if (!loaded && failure == null) {
            try {
                load();
                loaded = true;
            } catch (TicketKeeperException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new TicketKeeperException(failure.getMessage(), failure);
        }
    }

    private static void load() {
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            loadFrom(Path.of(override).toAbsolutePath(), PATH_PROPERTY + "=" + override);
            return;
        }
        String resource = "/io/ticketkeeper/native/" + platform() + "/" + LIBRARY;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new TicketKeeperException("no TicketKeeper shim for " + platform() + " in the jar (" + resource
                        + "); build it for this platform and set -D" + PATH_PROPERTY + "=/path/to/" + LIBRARY);
            }
            Path dir = Files.createTempDirectory("ticketkeeper-");
            Path file = dir.resolve(LIBRARY);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            loadFrom(file, "the jar's " + resource);
        } catch (IOException e) {
            throw new TicketKeeperException("could not unpack the TicketKeeper shim " + resource + ": " + e, e);
        }
    }

    private static void loadFrom(Path file, String origin) {
        if (!Files.isReadable(file)) {
            throw new TicketKeeperException("could not load the TicketKeeper shim " + file + " (from " + origin
                    + "): no such readable file");
        }
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new TicketKeeperException("could not load the TicketKeeper shim " + file + " (from " + origin
                    + "): " + e.getMessage() + "; it needs OpenSSL 3 (libssl.so.3, libcrypto.so.3)", e);
        }
    }

    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
                : System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '-');
        String arch = System.getProperty("os.arch");
        return os + "-" + (arch.equals("amd64") ? "x86_64" : arch);
    }
}
