package io.ticketkeeper.bench.paired;

import io.ticketkeeper.endpoints.TlsVersion;

import java.util.List;
import java.util.function.Supplier;

/**
 * One line of the handshake table: a kind of handshake on some threads, the contestants measured against each other
 * in alternating batches, and the ratios that are claimed.
 *
 * @param id a short name for the command line and the results, e.g. {@code tls1.3-full-2t}
 * @param subject what the contestants differ in, when it is not the tickets (e.g. "key lookup"), or null
 * @param entries the contestants, in the order of the first round (the next round runs them in reverse)
 */
record HandshakeCase(String id, String subject, TlsVersion version, boolean resumed, int threads, List<Entry> entries,
        List<Comparison> comparisons) {

    /** A contestant, made when the case starts and closed when it ends. */
    record Entry(String name, Supplier<Contestant> factory) {
    }

    /**
     * The claim that {@code contestant} does at least {@code target} times the handshakes of {@code against}, per
     * round; without a target (NaN) the ratio is reported and judged by nobody.
     */
    record Comparison(String contestant, String against, double target) {
        boolean judged() {
            return !Double.isNaN(target);
        }
    }

    /** {@code TLS 1.3 full, 2 threads}, or {@code key lookup: TLS 1.2 resumed, 1 thread}. */
    String title() {
        return (subject == null ? "" : subject + ": ") + version.toString().replace("TLSv", "TLS ") + " "
                + (resumed ? "resumed" : "full") + ", " + threads + (threads == 1 ? " thread" : " threads");
    }
}
