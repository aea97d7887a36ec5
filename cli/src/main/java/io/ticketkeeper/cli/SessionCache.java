package io.ticketkeeper.cli;

import io.ticketkeeper.session.SessionStore;
import io.ticketkeeper.session.SessionStores;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.util.List;
import java.util.Locale;

/**
 * Where {@code serve} keeps stateful sessions (resumption by session id, TLS 1.3 stateful tickets): nowhere,
 * OpenSSL's built-in per-context cache, or one of TicketKeeper's session stores named as
 * {@link SessionStores#fromSpec} reads it ({@code memory}, {@code memory:SIZE}, {@code redis://host:port}).
 *
 * @param spec the value as given, for messages and {@link SessionStores#fromSpec}
 */
record SessionCache(Kind kind, String spec) {
    enum Kind {
        /** No stateful sessions: only tickets resume. */
        NONE,
        /** OpenSSL's built-in per-context cache. */
        OPENSSL,
        /** A TicketKeeper session store behind OpenSSL's session cache callbacks. */
        STORE
    }

    static final SessionCache NONE = new SessionCache(Kind.NONE, "none");
    static final SessionCache OPENSSL = new SessionCache(Kind.OPENSSL, "openssl");

    /** Reads a {@code --session-cache} value; a size or address that is wrong is reported when the store opens. */
    static SessionCache parse(String value) {
        String lower = value.strip().toLowerCase(Locale.ROOT);
        if (lower.equals("none") || lower.equals("off")) {
            return NONE;
        }
        if (lower.equals("openssl") || lower.equals("internal")) {
            return OPENSSL;
        }
        if (lower.equals("memory") || lower.startsWith("memory:") || lower.matches("rediss?(-sentinel|-cluster)?://.*")) {
            return new SessionCache(Kind.STORE, value.strip());
        }
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a session cache; use none, "
                + "openssl, memory, memory:SIZE, redis://host:port, redis-sentinel://host:port,…#masterName or "
                + "redis-cluster://host:port,… (rediss… for TLS)");
    }

    /** Whether the store is shared by a fleet: its entries leave the process, sealed by a key the fleet shares. */
    boolean shared() {
        return kind == Kind.STORE && spec.toLowerCase(Locale.ROOT).startsWith("redis");
    }

    /**
     * Opens the store, or returns null for {@link Kind#NONE} and {@link Kind#OPENSSL}. A Redis store connects here
     * and must be closed by the caller.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     * @throws IllegalStateException when Redis cannot be reached
     */
    SessionStore open(List<SealingKey> sealingKeys) {
        return open(sealingKeys, RedisOptions.NONE);
    }

    /** As {@link #open(List)}, reaching a shared store as {@code redis} says (user, password, CA). */
    SessionStore open(List<SealingKey> sealingKeys, RedisOptions redis) {
        if (shared() && redis.given()) {
            return redis.applyTo(RedisSessionStore.builder(spec, sealingKeys)).build();
        }
        return kind == Kind.STORE ? SessionStores.fromSpec(spec, sealingKeys).orElse(null) : null;
    }

    @Override
    public String toString() {
        return spec;
    }
}
