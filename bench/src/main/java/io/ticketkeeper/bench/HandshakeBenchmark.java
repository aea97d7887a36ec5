package io.ticketkeeper.bench;

import io.ticketkeeper.harness.TlsVersion;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handshakes per second over a BIO pair (client and server in the benchmark thread), full and resumed, TLS 1.2 and
 * TLS 1.3, with the server's tickets handled by TicketKeeper's default policy or by OpenSSL's built-in ticket keys
 * in the same run. The ratio of the two is the claim. The server context and its TicketKeeper handle are shared by
 * the benchmark threads, as in a server, so the two-thread variant meets whatever the handshake path shares.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// TicketKeeper's upcall path needs about ten seconds of warm-up on a busy two-core machine: the CPU time per full
// TLS 1.2 handshake fell from 583 to 435 us over eight one-second iterations after three of warm-up.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HandshakeBenchmark {

    /** The server, one per trial, shared by every benchmark thread. */
    @State(Scope.Benchmark)
    public static class Server {
        /** Named so that JMH, which orders parameters by name, runs each pair of tickets back to back. */
        @Param({"TLS1_2", "TLS1_3"})
        public TlsVersion protocol;

        @Param({ServerTickets.OPENSSL_BUILTIN, ServerTickets.TICKETKEEPER})
        public String tickets;

        @Param({"full", "resumed"})
        public String handshake;

        BenchServer server;

        @Setup(Level.Trial)
        public void setUp() {
            server = new BenchServer(protocol, tickets, 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            server.close();
        }
    }

    /** A client per benchmark thread. */
    @State(Scope.Thread)
    public static class Client {
        BenchClient client;
        boolean resumes;

        @Setup(Level.Trial)
        public void setUp(Server server) {
            client = new BenchClient(server.server);
            resumes = server.handshake.equals("resumed");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
        }
    }

    @Benchmark
    public boolean handshake(Client client) {
        return client.resumes ? client.client.resume() : client.client.full();
    }

    /** The same with two threads on one server context: compare with twice {@link #handshake}. */
    @Benchmark
    @Threads(2)
    public boolean handshakeTwoThreads(Client client) {
        return client.resumes ? client.client.resume() : client.client.full();
    }
}
