package io.ticketkeeper.harness;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ticketkeeper.internal.NativeLibrary;
import io.ticketkeeper.openssl.LibSsl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which OpenSSL this JVM runs on: the harness's binding and the library's shim use the one the process loaded, and
 * when the run asks for a version (-Dtk.openssl.expected, which the run on Debian 11's OpenSSL 1.1.1 sets: see
 * tests/pom.xml), it is that one, so a run meant for 1.1.1 cannot pass on 3.0 unnoticed.
 */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class OpenSslGenerationTest {
    /** The tag of the test classes that also run on OpenSSL 1.1.1 (tests/pom.xml, execution openssl-1.1). */
    static final String OPENSSL_1_1 = "openssl-1.1";

    @Test
    void theShimIsTheOneForTheOpenSslTheHarnessCalls() {
        assumeTrue(System.getProperty(NativeLibrary.PATH_PROPERTY) == null, "the shim is set by -D"
                + NativeLibrary.PATH_PROPERTY + ", not chosen");
        long version = SSL.OpenSSL_version_num();
        String variant = version >= LibSsl.OPENSSL_3_0_0 ? "openssl-3"
                : "openssl-" + (version >>> 28) + "." + ((version >>> 20) & 0xff);
        String shim = NativeLibrary.file().getParent().getFileName().toString();
        assertTrue(shim.contains("-" + variant + "-"), "OpenSSL " + text(version) + " is loaded, so the shim "
                + "should be " + variant + ", but the library loaded " + NativeLibrary.file());
    }

    @Test
    void theOpenSslIsTheOneTheRunAskedFor() throws IOException {
        String expected = System.getProperty("tk.openssl.expected", "");
        assumeFalse(expected.isBlank(), "the run asks for no OpenSSL version (-Dtk.openssl.expected)");
        String actual = text(SSL.OpenSSL_version_num());
        assertTrue(actual.startsWith(expected), "the run asked for OpenSSL " + expected + ", but the harness calls "
                + actual);
        String soname = "libssl.so." + (expected.startsWith("1.") ? expected.substring(0, 3) : expected.substring(0, 1));
        assertEquals(List.of(soname), mappedLibssl(), "the libssl files this process has mapped");
    }

    /* The file names of the libssl libraries in /proc/self/maps, once each. */
    private static List<String> mappedLibssl() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.matches(".*/libssl\\.so\\.[0-9.]+$"))
                .map(line -> line.substring(line.lastIndexOf('/') + 1)).distinct().toList();
    }

    /* OpenSSL_version_num as OpenSSL writes the version: 0xMNN00PP0 is "M.NN.PP" (3.x), 0xMNNFFPPS "M.NN.FF" and a
     * patch letter (1.1.1w). */
    static String text(long version) {
        long major = version >>> 28;
        long minor = (version >>> 20) & 0xff;
        if (version >= LibSsl.OPENSSL_3_0_0) {
            return major + "." + minor + "." + ((version >>> 4) & 0xff);
        }
        long patch = (version >>> 4) & 0xff;
        return major + "." + minor + "." + ((version >>> 12) & 0xff) + (patch == 0 ? "" : (char) ('a' + patch - 1));
    }
}
