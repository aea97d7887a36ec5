package io.ticketkeeper.tomcat;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tomcat.jni.Library;
import org.apache.tomcat.jni.SSL;

/**
 * The {@code SSL_CTX *} inside a tomcat-native context. Tomcat's context id is the address of tomcat-native's
 * private {@code tcn_ssl_ctxt_t}, which starts {@code apr_pool_t *pool; SSL_CTX *ctx; ...}: the same in every
 * release from 1.2.30 to 1.2.39 and from 2.0.0 to 2.0.14 (checked against their {@code native/include/ssl_private.h}).
 * Other versions are refused, naming the version, before anything is read. Then the pointer read must be an
 * {@code SSL_CTX} of the libssl this process mapped (the one TicketKeeper's shim uses): tomcat-native's OpenSSL must be
 * that libssl's version, and {@code SSL_CTX_get_ssl_method} of the pointer must be one of its TLS methods.
 */
final class TcnativeContexts {
    /** The releases whose {@code tcn_ssl_ctxt_t} starts with the pool and the {@code SSL_CTX *}. */
    static boolean knownLayout(int major, int minor, int patch) {
        if (major == 1 && minor == 2) {
            return patch >= 30 && patch <= 39;
        }
        return major == 2 && minor == 0 && patch >= 0 && patch <= 14;
    }

    static final String KNOWN = "1.2.30 to 1.2.39 and 2.0.0 to 2.0.14";
    private static final Pattern LIBSSL = Pattern.compile("\\s(/\\S*/libssl\\.so\\.[0-9][0-9.]*)$");
    private static volatile Libssl libssl;

    private TcnativeContexts() {
    }

    /** "1.2.35", or "not loaded" before {@code AprLifecycleListener} loaded tomcat-native. */
    static String version() {
        if (Library.TCN_MAJOR_VERSION == 0) {
            return "not loaded";
        }
        return Library.TCN_MAJOR_VERSION + "." + Library.TCN_MINOR_VERSION + "." + Library.TCN_PATCH_VERSION
                + (Library.TCN_IS_DEV_VERSION != 0 ? "-dev" : "");
    }

    /** tomcat-native's OpenSSL, as it reports it ("OpenSSL 3.0.17 1 Jul 2025"). */
    static String openSsl() {
        try {
            return SSL.versionString();
        } catch (UnsatisfiedLinkError e) {
            return "unknown OpenSSL";
        }
    }

    /**
     * The {@code SSL_CTX *} of the tomcat-native context {@code contextId}.
     *
     * @throws IllegalStateException naming the tomcat-native version when its layout is not known, or naming both
     *     OpenSSLs when the pointer is not a context of this process's libssl
     */
    static long sslCtx(Long contextId) {
        String version = version();
        if (Library.TCN_MAJOR_VERSION == 0) {
            throw new IllegalStateException("tomcat-native is not loaded (add Tomcat's AprLifecycleListener, or use "
                    + "Tomcat's FFM connector on Java 22+)");
        }
        if (Library.TCN_IS_DEV_VERSION != 0 || !knownLayout(Library.TCN_MAJOR_VERSION, Library.TCN_MINOR_VERSION,
                Library.TCN_PATCH_VERSION)) {
            throw new IllegalStateException("tomcat-native " + version + " is not a version whose context layout "
                    + "TicketKeeper knows (" + KNOWN + "); TicketKeeper reads no SSL_CTX from it");
        }
        if (contextId == null || contextId == 0) {
            throw new IllegalStateException("Tomcat published no tomcat-native context id for this host");
        }
        Libssl ssl = libssl();
        long tcnativeOpenSsl = SSL.version() & 0xffffffffL;
        if (tcnativeOpenSsl != ssl.version) {
            throw new IllegalStateException("tomcat-native " + version + " uses " + openSsl() + " (0x"
                    + Long.toHexString(tcnativeOpenSsl) + "), not this process's " + ssl.path + " (0x"
                    + Long.toHexString(ssl.version) + ") that TicketKeeper uses; refused before any call on it");
        }
        long sslCtx = Pointer.nativeValue(new Pointer(contextId).getPointer(Native.POINTER_SIZE));
        if (sslCtx == 0 || !ssl.isServerContext(sslCtx)) {
            throw new IllegalStateException("the context of tomcat-native " + version + " holds no SSL_CTX of "
                    + ssl.path + " at its known place; refused");
        }
        return sslCtx;
    }

    private static Libssl libssl() {
        Libssl loaded = libssl;
        if (loaded == null) {
            synchronized (TcnativeContexts.class) {
                loaded = libssl;
                if (loaded == null) {
                    loaded = new Libssl(mappedLibssl());
                    libssl = loaded;
                }
            }
        }
        return loaded;
    }

    /** The one libssl in /proc/self/maps: the one tomcat-native links and TicketKeeper's shim then picks. */
    private static String mappedLibssl() {
        Set<String> paths = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                Matcher matcher = LIBSSL.matcher(line);
                if (matcher.find()) {
                    paths.add(matcher.group(1));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/maps to find the libssl tomcat-native uses: "
                    + e, e);
        }
        if (paths.size() != 1) {
            throw new IllegalStateException("this process has mapped " + (paths.isEmpty() ? "no libssl" : paths)
                    + "; TicketKeeper needs exactly the one libssl that tomcat-native uses");
        }
        return paths.iterator().next();
    }

    /** The TLS methods and version of one mapped libssl, through JNA (already loaded: dlopen finds it). */
    private static final class Libssl {
        final String path;
        final long version;
        private final Function getSslMethod;
        private final long[] methods;

        Libssl(String path) {
            this.path = path;
            NativeLibrary library = NativeLibrary.getInstance(path);
            this.version = library.getFunction("OpenSSL_version_num").invokeLong(new Object[0]);
            this.getSslMethod = library.getFunction("SSL_CTX_get_ssl_method");
            this.methods = new long[] {method(library, "TLS_server_method"), method(library, "TLS_method"),
                    method(library, "TLS_client_method")};
        }

        private static long method(NativeLibrary library, String name) {
            return Pointer.nativeValue(library.getFunction(name).invokePointer(new Object[0]));
        }

        boolean isServerContext(long sslCtx) {
            long method = Pointer.nativeValue(getSslMethod.invokePointer(new Object[] {new Pointer(sslCtx)}));
            for (long known : methods) {
                if (method != 0 && method == known) {
                    return true;
                }
            }
            return false;
        }
    }
}
