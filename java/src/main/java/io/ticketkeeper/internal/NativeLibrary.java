package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.internal.NativeShims.Shim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Loads the native shim, once per JVM: from the path in the system property {@value #PATH_PROPERTY} when it is set,
 * else the jar's shim for this platform and for the OpenSSL the process has already loaded (see {@link NativeShims}).
 * It names no {@code java.lang.foreign} type, so that every backend (FFM, JNA) loads the shim through it; a backend
 * binds to {@link #file()}.
 */
public final class NativeLibrary {
    public static final String PATH_PROPERTY = "ticketkeeper.library.path";
    private static final Path MAPPINGS = Path.of("/proc/self/maps");

    private NativeLibrary() {
    }

    private static Path loadedFile;
    private static String loadedFrom;
    private static boolean versionChecked;
    private static TicketKeeperException failure;

    /** Reads tk_api_version() from the loaded shim; throws a LinkageError or RuntimeException when it lacks it. */
    public interface VersionProbe {
        long apiVersion();
    }

    /** Loads the shim once; later calls return at once, or report the first failure again. */
    public static synchronized void ensureLoaded() {
        if (loadedFile == null && failure == null) {
            try {
                load();
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

    /**
     * The shim's file, loaded (a copy of the jar's, or the override): bindings that open it by name themselves (JNA)
     * open this one, so every binding in the process uses one shim and the one libssl it links.
     */
    public static synchronized Path file() {
        ensureLoaded();
        return loadedFile;
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

    private static void load() {
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path file = Path.of(override).toAbsolutePath();
            loadOverride(file, PATH_PROPERTY + "=" + override);
            return;
        }
        String osName = System.getProperty("os.name");
        String osArch = System.getProperty("os.arch");
        List<Shim> candidates = NativeShims.candidates(readIndex(), osName, osArch, loadedOpenSsl());
        List<String> failures = new ArrayList<>();
        for (Shim shim : candidates) {
            Path file = unpack(shim);
            try {
                System.load(file.toString());
                loadedFile = file;
                loadedFrom = "from the jar (" + shim.resource() + ")";
                return;
            } catch (UnsatisfiedLinkError e) {
                failures.add(shim.resource() + ": " + e.getMessage());
            }
        }
        throw new TicketKeeperException("could not load a TicketKeeper shim for " + NativeShims.platform(osName, osArch)
                + ": " + String.join("; ", failures) + "; each needs its OpenSSL's libssl and libcrypto (libssl.so.3 "
                + "for openssl-3, libssl.so.1.1 for openssl-1.1) where the system's loader finds them");
    }

    private static void loadOverride(Path file, String origin) {
        if (!Files.isReadable(file)) {
            throw new TicketKeeperException("could not load the TicketKeeper shim " + file + " (from " + origin
                    + "): no such readable file");
        }
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new TicketKeeperException("could not load the TicketKeeper shim " + file + " (from " + origin
                    + "): " + e.getMessage() + "; it needs the OpenSSL it was built against", e);
        }
        loadedFile = file;
        loadedFrom = file.toString();
    }

    private static List<Shim> readIndex() {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(NativeShims.INDEX)) {
            if (in == null) {
                return List.of();
            }
            return NativeShims.parseIndex(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new TicketKeeperException("could not read the TicketKeeper jar's " + NativeShims.INDEX + ": " + e, e);
        }
    }

    /* On Linux, the libssl generations the process has mapped; elsewhere none is known, and the newest is tried. */
    private static Set<String> loadedOpenSsl() {
        if (!Files.isReadable(MAPPINGS)) {
            return Set.of();
        }
        try {
            return NativeShims.loadedVariants(Files.readAllLines(MAPPINGS, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /* The library is copied out of the jar, since the system's loader needs a file; each variant in its own
     * directory, as the file names are the same, named after it, so that the process's mappings say which it is. */
    private static Path unpack(Shim shim) {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(shim.resource())) {
            if (in == null) {
                throw new TicketKeeperException("the TicketKeeper jar lists " + shim.resource() + " in "
                        + NativeShims.INDEX + " but does not carry it");
            }
            Path dir = Files.createTempDirectory("ticketkeeper-" + shim.platform() + "-" + shim.variant() + "-");
            Path file = dir.resolve(shim.file());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new TicketKeeperException("could not unpack the TicketKeeper shim " + shim.resource() + ": " + e, e);
        }
    }
}
