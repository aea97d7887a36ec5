package io.ticketkeeper.bench.paired;

import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.bench.ServerTickets;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

/** A benchmark's server: a context pinned to one version, its certificate, and its tickets (see ServerTickets). */
final class BenchServer implements AutoCloseable {
    final TlsVersion version;
    final SelfSignedCertificate certificate;
    final ServerContext context;
    private final TicketKeeperHandle handle;

    BenchServer(TlsVersion version, String tickets, int keyCount, String backend) {
        this.version = version;
        certificate = SelfSignedCertificate.create("bench");
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
