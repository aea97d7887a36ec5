package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ticketkeeper.TicketKeeper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which of the jar's shims a fresh JVM loads, with no setting: the one for the OpenSSL the process has already
 * loaded (here made so with LD_PRELOAD, as a server that loaded libssl before TicketKeeper would), else the newest;
 * and clear errors for two OpenSSLs at once and for a platform the jar has no shim for. The probe then makes an
 * SSL_CTX with the process's libssl and installs TicketKeeper on it, publishing keys through the loaded shim, with
 * the backend of the Java it runs on (FFM on 23+, JNA on 17).
 */
class ShimSelectionTest {
    /* JNA makes the SSL_CTX: it is on the class path with the library, on every Java the suite runs on. */
    private static final String PROBE = """
            import com.sun.jna.Function;
            import com.sun.jna.Pointer;
            import java.nio.file.*;
            public class Probe {
                public static void main(String[] args) throws Exception {
                    try {
                        Path shim = io.ticketkeeper.internal.NativeLibrary.file();
                        System.out.println("shim " + shim.getParent().getFileName());
                        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                            if (line.matches(".*/libssl\\\\.so\\\\.[0-9.]+$")) {
                                System.out.println("libssl " + line.substring(line.lastIndexOf('/') + 1));
                            }
                        }
                        com.sun.jna.NativeLibrary ssl = com.sun.jna.NativeLibrary.getInstance(args[0]);
                        Pointer method = ssl.getFunction("TLS_server_method").invokePointer(new Object[0]);
                        Pointer ctx = ssl.getFunction("SSL_CTX_new").invokePointer(new Object[] {method});
                        try (var handle = io.ticketkeeper.TicketKeeper.install(Pointer.nativeValue(ctx))) {
                            handle.setKeys(io.ticketkeeper.TicketKey.generate());
                            System.out.println("installed (" + io.ticketkeeper.TicketKeeper.backend() + "), keys "
                                    + handle.keys().size());
                        }
                    } catch (RuntimeException e) {
                        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void withNoOpenSslLoadedTheNewestShimLoads() throws Exception {
        String out = runProbe("libssl.so.3", List.of(), List.of());
        assertTrue(out.contains("shim ticketkeeper-linux-x86_64-openssl-3-"), out);
        assertTrue(out.contains("libssl libssl.so.3\n"), out);
        assertTrue(out.contains("), keys 1"), out);
    }

    @Test
    void aProcessWithOpenSsl11LoadsThe11Shim() throws Exception {
        Path lib = openSsl11();
        String out = runProbe("libssl.so.1.1", List.of(), List.of(lib.resolve("libssl.so.1.1"),
                lib.resolve("libcrypto.so.1.1")));
        assertTrue(out.contains("shim ticketkeeper-linux-x86_64-openssl-1.1-"), out);
        assertTrue(out.contains("libssl libssl.so.1.1\n") && !out.contains("libssl.so.3"), out);
        assertTrue(out.contains("), keys 1"), out);
    }

    @Test
    void twoOpenSslsAtOnceAreRefusedByName() throws Exception {
        Path lib = openSsl11();
        String out = runProbe("libssl.so.3", List.of(), List.of(lib.resolve("libssl.so.1.1"),
                lib.resolve("libcrypto.so.1.1"), Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3")));
        assertTrue(out.contains("TicketKeeperException: this process has loaded 2 generations of OpenSSL "
                + "(libssl.so.1.1 and libssl.so.3), so TicketKeeper cannot tell which one your SSL_CTX comes from"), out);
    }

    @Test
    void aPlatformWithoutAShimIsNamed() throws Exception {
        String out = runProbe("libssl.so.3", List.of("-Dos.arch=riscv64"), List.of());
        assertTrue(out.contains("TicketKeeperException: the TicketKeeper jar has no native shim for linux-riscv64 "
                + "(os.name Linux, os.arch riscv64); it carries linux-"), out);
    }

    private static Path libraryJar() throws Exception {
        Path jar = Path.of(TicketKeeper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(jar.toString().endsWith(".jar"), "the library is not on the class path as a jar: " + jar);
        return jar;
    }

    /* Debian 11's OpenSSL 1.1.1, unpacked by bin/platform-tests when it built the jar's 1.1.1 shim. */
    private static Path openSsl11() throws Exception {
        Path jar = libraryJar();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assumeTrue(zip.getEntry("io/ticketkeeper/native/linux-x86_64/openssl-1.1/libticketkeeper.so") != null,
                    "the jar carries no OpenSSL 1.1.1 shim (built without -Dtk.shims=all)");
        }
        Path lib = jar.getParent().getParent().getParent().resolve("target/platforms/prefix/bullseye-amd64/lib");
        assertTrue(Files.isReadable(lib.resolve("libssl.so.1.1")), "the jar has a 1.1.1 shim, but " + lib
                + " has no libssl.so.1.1 (bin/platform-tests linux-x86_64-openssl-1.1 unpacks it)");
        return lib;
    }

    private String runProbe(String libssl, List<String> options, List<Path> preload) throws Exception {
        Path source = dir.resolve("Probe.java");
        Files.writeString(source, PROBE);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(options);
        libraryJar();
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), source.toString(), libssl));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (!preload.isEmpty()) {
            builder.environment().put("LD_PRELOAD", String.join(":", preload.stream().map(Path::toString).toList()));
        }
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
