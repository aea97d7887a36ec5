package io.ticketkeeper.harness;

import io.ticketkeeper.endpoints.TlsVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK's own HTTPS client as a real peer: one GET per connection (a new client each time) that shares the
 * session cache of the {@link SSLContext} it is given, so that its second connection to a host can resume. Host
 * names resolve through the test JVM's {@code jdk.net.hosts.file}.
 */
public final class JdkHttpsClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private JdkHttpsClient() {
    }

    /** GET https://HOST:PORT/ in {@code version} only; returns the body. */
    public static String get(SSLContext context, String host, int port, TlsVersion version)
            throws IOException, InterruptedException {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {version.toString()});
        // HttpClient is AutoCloseable only from Java 21; the harness runs on 17 too, so it goes with the GC.
        HttpClient client = HttpClient.newBuilder().sslContext(context).sslParameters(parameters)
                .connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/"))
                .timeout(TIMEOUT).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
