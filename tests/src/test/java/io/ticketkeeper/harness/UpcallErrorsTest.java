package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 18, item 10: no {@link Error} leaves an upcall, not even through the code that counts and logs failures.
 * A child JVM ({@link UpcallErrorsMain}) whose policy and session store throw a StackOverflowError or an
 * OutOfMemoryError (constructed) from every upcall, with a System.LoggerFinder whose loggers throw too: every
 * handshake completes with the safe outcome (full handshake, no ticket, nothing stored, nothing aborted) and the JVM
 * lives to say so. On the default backend (FFM on Java 23+, JNA with JNI upcalls on 17) and on JNA's callbacks.
 */
class UpcallErrorsTest {
    private static final String EXPECTED = "before=true,true completed=true,true,true resumed=false,false ticket=false "
            + "policyErrors=true storeFailures=true aborted=0";

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"soe, default", "oom, default", "soe, jna-callbacks", "oom, jna-callbacks"})
    void anErrorFromThePolicyOrTheStoreWithAThrowingLoggerGetsTheSafeOutcome(String mode, String upcalls)
            throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve("java.lang.System$LoggerFinder"), ThrowingLoggerFinder.class.getName() + "\n");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-Xss2m");
        if (upcalls.equals("jna-callbacks")) {
            command.add("-Dticketkeeper.backend=jna");
            command.add("-Dticketkeeper.jna.upcalls=jna");
        }
        command.addAll(List.of("-cp", dir + File.pathSeparator + System.getProperty("java.class.path"),
                UpcallErrorsMain.class.getName(), mode));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "the child JVM died: " + out);
        String result = out.lines().filter(line -> line.startsWith("RESULT ")).findFirst().orElse("no RESULT: " + out);
        assertTrue(result.endsWith(EXPECTED), result + "\n" + out);
        if (upcalls.equals("jna-callbacks")) {
            assertTrue(result.startsWith("RESULT backend=jna"), result);
        }
    }
}
