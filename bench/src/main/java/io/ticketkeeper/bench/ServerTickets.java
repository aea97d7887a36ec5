package io.ticketkeeper.bench;


import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.endpoints.OpenSslCalls;
import io.ticketkeeper.endpoints.ServerContext;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The two ways a benchmark's server handles tickets: OpenSSL's built-in ticket keys (the baseline every ratio is
 * taken against) or TicketKeeper's default policy with a Java upcall per callback, through one of its backends.
 */
public final class ServerTickets {
    /** The names of the two, as benchmarks and results name them. */
    public static final String OPENSSL_BUILTIN = "openssl-builtin";
    public static final String TICKETKEEPER = "ticketkeeper";
    /**
     * TicketKeeper's backends by name: Panama FFM and JNA. A JVM runs one of them (TicketKeeper.backend(): FFM on
     * Java 23 and newer unless {@code -Dticketkeeper.backend=jna} forces JNA), so a benchmark measures the other one
     * in a second JVM.
     */
    public static final String FFM = "ffm";
    public static final String JNA = "jna";

    private ServerTickets() {
    }

    /**
     * Sets up {@code server}'s tickets as {@code tickets} names them; TicketKeeper publishes {@code keyCount}
     * generated keys, the first of which seals. Returns the handle to close, or null for the built-in keys.
     */
    public static TicketKeeperHandle install(ServerContext server, String tickets, int keyCount) {
        return install(server, tickets, keyCount, FFM);
    }

    /**
     * As {@link #install(ServerContext, String, int)}, with TicketKeeper on {@code backend}. This is where the
     * paired runner's {@code --backend} arrives: a second backend needs only a case here.
     */
    public static TicketKeeperHandle install(ServerContext server, String tickets, int keyCount, String backend) {
        switch (tickets) {
            case OPENSSL_BUILTIN:
                useBuiltinKeys(server);
                return null;
            case TICKETKEEPER:
                checkBackend(backend);
                return TicketKeeper.install(server.address(),
                        TicketKeeperOptions.builder().keys(generatedKeys(keyCount)).build());
            default:
                throw new IllegalArgumentException("tickets must be " + OPENSSL_BUILTIN + " or " + TICKETKEEPER
                        + ", was " + tickets);
        }
    }

    /** Refuses a backend other than this JVM's, saying how to get it. */
    public static void checkBackend(String backend) {
        if (!FFM.equals(backend) && !JNA.equals(backend)) {
            throw new IllegalArgumentException("backend '" + backend + "' does not exist; use " + FFM + " or " + JNA);
        }
        String running = TicketKeeper.backend();
        if (!running.equals(backend)) {
            throw new IllegalArgumentException("backend '" + backend + "' is not this JVM's (" + running
                    + "); run it in a JVM of its own with -Dticketkeeper.backend=" + backend);
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
