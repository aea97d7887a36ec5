package io.ticketkeeper.endpoints;

/** How a handshake travels: over a BIO pair in this thread, or over a loopback TCP connection. */
public enum Transport {
    MEMORY {
        @Override
        public HandshakeResult handshake(ServerContext server, ClientContext client, ClientSession offer) {
            return MemoryHandshake.run(server, client, offer);
        }
    },
    SOCKET {
        @Override
        public HandshakeResult handshake(ServerContext server, ClientContext client, ClientSession offer) {
            return SocketHandshake.run(server, client, offer);
        }
    };

    /** Handshakes, offering {@code offer}'s session when it is not null. */
    public abstract HandshakeResult handshake(ServerContext server, ClientContext client, ClientSession offer);
}
