package io.ticketkeeper.bench;


import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.harness.OpenSslCalls;
import io.ticketkeeper.harness.ServerContext;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The two ways a benchmark's server handles tickets: OpenSSL's built-in ticket keys (the baseline every ratio is
 * taken against) or TicketKeeper's default policy with a Java upcall per callback.
 */
final class ServerTickets {
    /** The {@code @Param} values that name the two. */
    static final String OPENSSL_BUILTIN = "openssl-builtin";
    static final String TICKETKEEPER = "ticketkeeper";

    private ServerTickets() {
    }

    /**
     * Sets up {@code server}'s tickets as {@code tickets} names them; TicketKeeper publishes {@code keyCount}
     * generated keys, the first of which seals. Returns the handle to close, or null for the built-in keys.
     */
    static TicketKeeperHandle install(ServerContext server, String tickets, int keyCount) {
        switch (tickets) {
            case OPENSSL_BUILTIN:
                useBuiltinKeys(server);
                return null;
            case TICKETKEEPER:
                return TicketKeeper.install(server.address(),
                        TicketKeeperOptions.builder().keys(generatedKeys(keyCount)).build());
            default:
                throw new IllegalArgumentException("tickets must be " + OPENSSL_BUILTIN + " or " + TICKETKEEPER
                        + ", was " + tickets);
        }
    }

    static List<TicketKey> generatedKeys(int count) {
        List<TicketKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(TicketKey.generate());
        }
        return keys;
    }

    /** OpenSSL's own ticket handling with one random 80-byte key (name, HMAC key, AES key). */
    private static void useBuiltinKeys(ServerContext server) {
        byte[] keys = new byte[80];
        new SecureRandom().nextBytes(keys);
        try {
            OpenSslCalls.SSL.SSL_CTX_set_tlsext_ticket_keys(server.address(), keys);
        } finally {
            java.util.Arrays.fill(keys, (byte) 0);
        }
    }
}
