package io.ticketkeeper.bench.paired;

import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.bench.ServerTickets;
import io.ticketkeeper.harness.ServerContext;
import io.ticketkeeper.harness.TestCertificate;
import io.ticketkeeper.harness.TlsVersion;

/** A benchmark's server: a context pinned to one version, its certificate, and its tickets (see ServerTickets). */
final class BenchServer implements AutoCloseable {
    final TlsVersion version;
    final TestCertificate certificate;
    final ServerContext context;
    private final TicketKeeperHandle handle;

    BenchServer(TlsVersion version, String tickets, int keyCount, String backend) {
        this.version = version;
        certificate = TestCertificate.create("bench");
        context = ServerContext.builder(version, certificate).build();
        handle = ServerTickets.install(context, tickets, keyCount, backend);
    }

    @Override
    public void close() {
        if (handle != null) {
            handle.close();
        }
        context.close();
        certificate.close();
    }
}
