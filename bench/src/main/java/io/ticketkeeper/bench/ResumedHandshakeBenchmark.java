package io.ticketkeeper.bench;

import static io.ticketkeeper.ffm.OpenSslMacros.SSL_CTX_set_tlsext_ticket_keys;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.harness.ClientContext;
import io.ticketkeeper.harness.ClientSession;
import io.ticketkeeper.harness.HandshakeResult;
import io.ticketkeeper.harness.MemoryHandshake;
import io.ticketkeeper.harness.ServerContext;
import io.ticketkeeper.harness.TestCertificate;
import io.ticketkeeper.harness.TlsVersion;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resumed handshakes per second over a BIO pair: the server's tickets handled by TicketKeeper's default policy
 * (Java upcalls) or by OpenSSL's built-in ticket keys, in the same run. The ratio of the two is the claim.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ResumedHandshakeBenchmark {
    @Param({"TLS1_2", "TLS1_3"})
    public TlsVersion version;

    @Param({"openssl-builtin", "ticketkeeper"})
    public String tickets;

    private TestCertificate certificate;
    private ServerContext server;
    private ClientContext client;
    private TicketKeeperHandle handle;
    private ClientSession session;

    @Setup(Level.Trial)
    public void setUp() {
        certificate = TestCertificate.create("bench");
        server = ServerContext.builder(version, certificate).build();
        client = new ClientContext(version, certificate);
        if (tickets.equals("ticketkeeper")) {
            handle = TicketKeeper.install(server.address());
        } else {
            useBuiltinKeys(server.ctx());
        }
        try (HandshakeResult first = MemoryHandshake.run(server, client, null)) {
            session = detach(first);
        }
    }

    /** TLS 1.3 tickets are renewed on every resumption, so the benchmark keeps the newest session. */
    @Benchmark
    public boolean resumedHandshake() {
        HandshakeResult result = MemoryHandshake.run(server, client, session);
        if (!result.resumed()) {
            throw new IllegalStateException("the benchmark handshake did not resume: " + result);
        }
        session.close();
        session = result.session();
        return result.resumed();
    }

    private static ClientSession detach(HandshakeResult result) {
        if (!result.hasTicket()) {
            throw new IllegalStateException("no ticket to resume with: " + result);
        }
        return result.session();
    }

    private static void useBuiltinKeys(MemorySegment ctx) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] keys = new byte[80];
            new SecureRandom().nextBytes(keys);
            SSL_CTX_set_tlsext_ticket_keys(ctx, arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, keys));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        if (handle != null) {
            handle.close();
        }
        client.close();
        server.close();
        certificate.close();
    }
}
