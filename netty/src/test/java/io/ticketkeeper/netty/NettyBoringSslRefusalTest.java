package io.ticketkeeper.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ticketkeeper.TicketKeeperOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty on {@code netty-tcnative-boringssl-static} (surefire execution {@code boringssl-static}): its contexts are
 * BoringSSL's, and installing TicketKeeper on one is refused with a message naming BoringSSL, before any native
 * call: TicketKeeper's shim is never even loaded into the process.
 */
class NettyBoringSslRefusalTest {
    @TempDir
    Path folder;

    @Test
    void aBoringSslContextIsRefusedBeforeAnyNativeCall() throws Exception {
        assumeTrue(Boolean.getBoolean("tk.netty.boringssl"), "runs in the boringssl-static execution only");
        OpenSsl.ensureAvailability();
        assertTrue(OpenSsl.versionString().contains("BoringSSL"), "this run should have Netty on BoringSSL: "
                + OpenSsl.versionString());
        Path certificate = folder.resolve("a.crt");
        Path key = folder.resolve("a.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
                "-subj", "/CN=a.test", "-days", "1").redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, output);
        SslContext context = SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                .sslProvider(SslProvider.OPENSSL).build();
        TicketKeeperOptions options = TicketKeeperOptions.defaults();

        String refused = assertThrows(IllegalArgumentException.class,
                () -> TicketKeeperNetty.install(context, "a.test", options)).getMessage();
        System.out.println("refused: " + refused);
        assertTrue(refused.contains("BoringSSL") && refused.contains("before any call on it"), refused);
        assertTrue(refused.contains("TicketKeeperNetty.manageKeys"), "the way that works is not named: " + refused);
        String refusedSni = assertThrows(IllegalArgumentException.class,
                () -> TicketKeeperNetty.sni(context, Map.of("a.test", context), options)).getMessage();
        assertTrue(refusedSni.contains("BoringSSL"), refusedSni);

        assertEquals(List.of(), mappedTicketKeeperShims(), "TicketKeeper's shim was loaded");
        assertFalse(context.isClient());
    }

    private static List<String> mappedTicketKeeperShims() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(line -> line.contains("libticketkeeper"))
                .toList();
    }
}
