package io.ticketkeeper.bench.paired;

import io.ticketkeeper.endpoints.TlsVersion;

/** OpenSSL on both ends over a BIO pair, the server's tickets by OpenSSL's built-in keys or by TicketKeeper. */
final class OpenSslContestant implements Contestant {
    private final String name;
    private final BenchServer server;
    private final boolean resumed;

    /**
     * @param tickets {@code openssl-builtin} or {@code ticketkeeper} (ServerTickets)
     * @param keyCount the keys TicketKeeper publishes (the first seals)
     * @param backend TicketKeeper's backend
     */
    OpenSslContestant(String name, TlsVersion version, boolean resumed, String tickets, int keyCount,
            String backend) {
        this.name = name;
        this.resumed = resumed;
        this.server = new BenchServer(version, tickets, keyCount, backend);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Handshaker newHandshaker() {
        BenchClient client = new BenchClient(server);
        return new Handshaker() {
            @Override
            public void handshake() {
                if (resumed) {
                    client.resume();
                } else {
                    client.full();
                }
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    @Override
    public void close() {
        server.close();
    }
}
