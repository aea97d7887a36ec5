package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.internal.ShimLayout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the library jar picks its backend and native library, seen from fresh JVMs: JNA on Java 17 (its ticket upcalls
 * through the shim's JNI bridge, or JNA's callbacks when forced or when the shim has no bridge), FFM on Java 23+,
 * either when forced and possible, and a clear message when not; a bad library path override names the property
 * and the file, and a shim from another build is refused with both API versions named.
 */
class RuntimeSelectionTest {
    private static final Path JDK_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    private static final String PROBE = """
            public class Probe {
                public static void main(String[] args) {
                    try {
                        io.ticketkeeper.internal.Backend backend = io.ticketkeeper.internal.Backends.get();
                        System.out.println("backend " + backend.getClass().getName() + " upcalls " + backend.upcalls());
                    } catch (RuntimeException e) {
                        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void java17GetsTheJnaBackend() throws Exception {
        assumeTrue(Files.isExecutable(JDK_17), "no JDK 17 at " + JDK_17);
        assertTrue(runProbe(JDK_17.toString(), List.of()).contains("backend io.ticketkeeper.jna.JnaBackend"));
    }

    @Test
    void java17TakesTheJniBridgeUnlessToldOtherwise() throws Exception {
        assumeTrue(Files.isExecutable(JDK_17), "no JDK 17 at " + JDK_17);
        String out = runProbe(JDK_17.toString(), List.of());
        assertTrue(out.contains("upcalls jni"), out);
        out = runProbe(JDK_17.toString(), List.of("-Dticketkeeper.jna.upcalls=jna"));
        assertTrue(out.contains("backend io.ticketkeeper.jna.JnaBackend upcalls jna"), out);
        out = runProbe(JDK_17.toString(), List.of("-Dticketkeeper.jna.upcalls=panama"));
        assertTrue(out.contains("TicketKeeperException: -Dticketkeeper.jna.upcalls=panama names no upcall path: use "
                + "jni (the shim's JNI bridge) or jna (JNA's callbacks)"), out);
    }

    /** A shim built without a JDK's headers (the Windows one): JNA's callbacks, and forcing JNI says why not. */
    @Test
    void aShimWithoutTheJniBridgeGetsJnaCallbacks() throws Exception {
        assumeTrue(Files.isExecutable(JDK_17), "no JDK 17 at " + JDK_17);
        Path bare = compileLibrary("bare", "#include <stdint.h>\nuint32_t tk_api_version(void) { return "
                + ShimLayout.API_VERSION + "; }\n");
        String out = runProbe(JDK_17.toString(), List.of("-Dticketkeeper.library.path=" + bare));
        assertTrue(out.contains("backend io.ticketkeeper.jna.JnaBackend upcalls jna"), out);
        out = runProbe(JDK_17.toString(), List.of("-Dticketkeeper.library.path=" + bare,
                "-Dticketkeeper.jna.upcalls=jni"));
        assertTrue(out.contains("TicketKeeperException: -Dticketkeeper.jna.upcalls=jni, but the TicketKeeper shim "
                + bare + " has no JNI bridge"), out);
    }

    @Test
    void java17WithoutJnaSaysWhatIsMissing() throws Exception {
        assumeTrue(Files.isExecutable(JDK_17), "no JDK 17 at " + JDK_17);
        String out = runProbe(JDK_17.toString(), List.of(), false);
        assertTrue(out.contains("TicketKeeperException: TicketKeeper's JNA backend cannot run on Java 17: JNA "
                + "(net.java.dev.jna:jna 5.19 or newer) is not on the class path"), out);
    }

    @Test
    void forcingFfmOnJava17SaysWhy() throws Exception {
        assumeTrue(Files.isExecutable(JDK_17), "no JDK 17 at " + JDK_17);
        String out = runProbe(JDK_17.toString(), List.of("-Dticketkeeper.backend=ffm"));
        assertTrue(out.contains("-Dticketkeeper.backend=ffm needs Java 23 or newer for Panama FFM, but runs on "
                + "Java 17"), out);
    }

    @Test
    void eitherBackendCanBeForcedOnANewJava() throws Exception {
        assumeTrue(Runtime.version().feature() >= 23, "Java 23+ runs both backends");
        assertTrue(runProbe(currentJava(), List.of("--enable-native-access=ALL-UNNAMED", "-Dticketkeeper.backend=jna"))
                .contains("backend io.ticketkeeper.jna.JnaBackend"));
        assertTrue(runProbe(currentJava(), List.of("--enable-native-access=ALL-UNNAMED"))
                .contains("backend io.ticketkeeper.ffm.FfmBackend"));
        assertTrue(runProbe(currentJava(), List.of("-Dticketkeeper.backend=panama")).contains(
                "-Dticketkeeper.backend=panama names no backend: use ffm (Panama, Java 23+) or jna (Java 17+)"));
    }

    @Test
    void aBadLibraryPathOverrideNamesThePropertyAndTheFile() throws Exception {
        Path missing = dir.resolve("no-such-libticketkeeper.so");
        String out = runProbe(currentJava(), List.of("--enable-native-access=ALL-UNNAMED",
                "-Dticketkeeper.library.path=" + missing));
        assertTrue(out.contains("ticketkeeper.library.path=" + missing), out);
        assertTrue(out.contains("could not load the TicketKeeper shim"), out);
    }

    /** A library built from another header: the check at load names both versions instead of misreading structs. */
    @Test
    void aStaleShimNamesBothApiVersions() throws Exception {
        Path stale = compileLibrary("stale", "#include <stdint.h>\nuint32_t tk_api_version(void) { return 1; }\n");
        String out = runProbe(currentJava(), List.of("--enable-native-access=ALL-UNNAMED",
                "-Dticketkeeper.library.path=" + stale));
        assertTrue(out.contains("TicketKeeperException: the TicketKeeper shim " + stale + " has API version 1, but "
                + "this library needs API version " + ShimLayout.API_VERSION), out);
    }

    /** A library that is not TicketKeeper's at all (or older than the version function) is refused by name too. */
    @Test
    void aForeignLibraryWithoutTheVersionFunctionIsRefused() throws Exception {
        Path foreign = compileLibrary("foreign", "int not_ticketkeeper(void) { return 0; }\n");
        String out = runProbe(currentJava(), List.of("--enable-native-access=ALL-UNNAMED",
                "-Dticketkeeper.library.path=" + foreign));
        assertTrue(out.contains("the TicketKeeper shim " + foreign + " has no tk_api_version()"), out);
    }

    private Path compileLibrary(String name, String source) throws Exception {
        Path c = dir.resolve(name + ".c");
        Path library = dir.resolve("lib" + name + ".so");
        Files.writeString(c, source);
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", library.toString(), c.toString())
                .redirectErrorStream(true).start();
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc did not finish");
        assertEquals(0, gcc.exitValue(), new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return library;
    }

    private static String jarOf(Class<?> type) throws Exception {
        String jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assumeTrue(jar.endsWith(".jar"), type + " is not on the class path as a jar: " + jar);
        return jar;
    }

    private static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String runProbe(String java, List<String> options) throws Exception {
        return runProbe(java, options, true);
    }

    /** Runs the probe with the library jar and, when {@code withJna}, JNA on the class path. */
    private String runProbe(String java, List<String> options, boolean withJna) throws Exception {
        Path source = dir.resolve("Probe.java");
        Files.writeString(source, PROBE);
        String jar = jarOf(TicketKeeper.class);
        String classPath = withJna ? jar + File.pathSeparator + jarOf(com.sun.jna.Native.class) : jar;
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, source.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
