package io.ticketkeeper.cli;

import io.ticketkeeper.endpoints.TlsVersion;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code openssl s_client} as a real peer: one connection with one HTTP request, reading the answer to its end (so
 * that TLS 1.3 tickets arrive before it saves the session), saving and offering sessions in PEM files.
 */
final class SClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String REQUEST = "GET / HTTP/1.0\r\n\r\n";

    private SClient() {
    }

    /** One connection to {@code port}; {@code sessionIn} and {@code sessionOut} may be null. What s_client printed. */
    static String connect(int port, TlsVersion version, Path sessionIn, Path sessionOut, String... flags)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                version == TlsVersion.TLS1_2 ? "-tls1_2" : "-tls1_3", "-ign_eof"));
        if (sessionIn != null) {
            command.addAll(List.of("-sess_in", sessionIn.toString()));
        }
        if (sessionOut != null) {
            command.addAll(List.of("-sess_out", sessionOut.toString()));
        }
        command.addAll(List.of(flags));
        return ExternalProcess.run(command, REQUEST, TIMEOUT).output();
    }

    /**
     * The name (hex) of the key that sealed the last ticket s_client printed (a ticket starts with its key's name),
     * or null when the server sent none.
     */
    static String ticketKey(String output) {
        int ticket = output.lastIndexOf("TLS session ticket:\n");
        if (ticket < 0) {
            return null;
        }
        String line = output.substring(ticket).lines().skip(1).findFirst().orElse("");
        if (!line.strip().startsWith("0000 - ")) {
            return null;
        }
        return line.strip().substring(7, 7 + 47).replace(" ", "").replace("-", "");
    }

    /** Whether s_client's output says the session was resumed, in {@code version}. */
    static boolean reused(String output, TlsVersion version) {
        return output.contains("Reused, " + version);
    }
}
