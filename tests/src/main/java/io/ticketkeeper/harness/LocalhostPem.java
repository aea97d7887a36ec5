package io.ticketkeeper.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1} with its key, as PEM files written by the
 * {@code openssl} command at test time: for servers that load files (redis-server with TLS) and clients that trust
 * the certificate as its own CA.
 *
 * @param certificate the certificate (also the CA file to trust)
 * @param key its private key, unencrypted
 */
public record LocalhostPem(Path certificate, Path key) {
    /** Writes {@code <name>.crt} and {@code <name>.key} into {@code directory}. */
    public static LocalhostPem create(Path directory, String name) throws IOException, InterruptedException {
        Path certificate = directory.resolve(name + ".crt");
        Path key = directory.resolve(name + ".key");
        List<String> command = List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2");
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl req failed: " + output);
        }
        return new LocalhostPem(certificate, key);
    }
}
