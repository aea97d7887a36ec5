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

    private static String loadedFrom;
    private static Path loadedFile;
    private static boolean versionChecked;
    private static TicketKeeperException failure;

    /** Reads tk_api_version() from the loaded shim; throws a LinkageError or RuntimeException when it lacks it. */
    public interface VersionProbe {
        long apiVersion();
    }

    /** Loads the shim once; later calls return at once, or report the first failure again. */
    public static synchronized void ensureLoaded() {
        if (loadedFrom == null && failure == null) {
            try {
                loadedFrom = load();
            } catch (TicketKeeperException e) {
                failure = e;
            }
        }
        rethrowFailure();
    }

    /**
     * Loads the shim once and checks, once, that it was built from the same header as the bindings that will call
     * it: {@code expected} is TK_API_VERSION as the bindings know it, {@code probe} asks the library. A stale or
     * foreign library fails here, with both versions named, instead of misreading structs later.
     */
    public static synchronized void ensureLoaded(int expected, VersionProbe probe) {
        ensureLoaded();
        if (!versionChecked) {
            try {
                checkVersion(expected, probe);
                versionChecked = true;
            } catch (TicketKeeperException e) {
                failure = e;
            }
        }
        rethrowFailure();
    }

    private static void rethrowFailure() {
        if (failure != null) {
            throw new TicketKeeperException(failure.getMessage(), failure);
        }
    }

    private static void checkVersion(int expected, VersionProbe probe) {
        long actual;
        try {
            actual = probe.apiVersion();
        } catch (LinkageError | RuntimeException e) {
            throw new TicketKeeperException("the TicketKeeper shim " + loadedFrom + " has no tk_api_version(): it is "
                    + "older than API version 2 or not TicketKeeper's, and this library needs API version " + expected
                    + "; use the shim from the same build (drop -D" + PATH_PROPERTY + " to use the jar's)", e);
        }
        if (actual != expected) {
            throw new TicketKeeperException("the TicketKeeper shim " + loadedFrom + " has API version " + actual
                    + ", but this library needs API version " + expected + "; use the shim from the same build "
                    + "(drop -D" + PATH_PROPERTY + " to use the jar's)");
        }
    }

    /**
     * The shim's file, loaded: bindings that open it by name themselves (JNA) open this one, so every binding in
     * the process uses one shim and the one libssl it links.
     */
    public static synchronized Path file() {
        ensureLoaded();
        return loadedFile;
    }

    /** Loads the shim and says where from. */
    private static String load() {
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path file = Path.of(override).toAbsolutePath();
            loadFrom(file, PATH_PROPERTY + "=" + override);
            loadedFile = file;
            return file.toString();
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
            loadedFile = file;
            return "from the jar (" + resource + ")";
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
