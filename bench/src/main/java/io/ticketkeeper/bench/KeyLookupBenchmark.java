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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resumed TLS 1.2 handshakes per second with 10 to 10,000 published keys: the shim finds a ticket's key by a hash
 * of its name (twice per resumption: for the key callback and for the session view), so the rate must not fall
 * as keys are added. {@link TicketCallbackBenchmark} shows the same for the Java decision.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class KeyLookupBenchmark {
    @Param({"10", "1000", "10000"})
    public int keys;

    private BenchServer server;
    private BenchClient client;

    @Setup(Level.Trial)
    public void setUp() {
        server = new BenchServer(TlsVersion.TLS1_2, ServerTickets.TICKETKEEPER, keys);
        client = new BenchClient(server);
    }

    @Benchmark
    public boolean resumedHandshake() {
        return client.resume();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        server.close();
    }
}
