package io.ticketkeeper.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One self-signed P-256 certificate for several host names (subjectAltName), made by {@code openssl req} at test
 * time as PEM files, for servers that read PEM files (Tomcat, Netty), and a JDK client context that trusts it: the
 * JDK client checks the host name.
 */
public record HostCertificate(Path certificateFile, Path keyFile) {
    /** Writes server.crt and server.key into {@code folder}; the first name is also the subject's CN. */
    public static HostCertificate create(Path folder, String... hostNames) throws IOException, InterruptedException {
        Path certificate = folder.resolve("server.crt");
        Path key = folder.resolve("server.key");
        StringBuilder names = new StringBuilder();
        for (String host : hostNames) {
            names.append(names.isEmpty() ? "" : ",").append("DNS:").append(host);
        }
        Process process = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=" + hostNames[0],
                "-addext", "subjectAltName=" + names, "-keyout", key.toString(), "-out", certificate.toString()))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl req failed: " + output);
        }
        return new HostCertificate(certificate, key);
    }

    /** A TLS client context that trusts only this certificate. */
    public SSLContext trustingClientContext() throws Exception {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
