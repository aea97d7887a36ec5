package io.ticketkeeper.session;

import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Session stores from a one-word specification, as a command line or a configuration file gives it. */
public final class SessionStores {
    private SessionStores() {
    }

    /**
     * The store {@code spec} names:
     * <ul>
     *   <li>{@code none}: no store (empty): OpenSSL's session cache is left alone;</li>
     *   <li>{@code memory} or {@code memory:SIZE}: an {@link InMemorySessionStore} of at most SIZE sessions;</li>
     *   <li>{@code redis://host:port[/db]}: a {@link RedisSessionStore} sealed by {@code sealingKeys} (the first
     *       seals), which needs Lettuce on the class path.</li>
     * </ul>
     * A Redis store must be closed by the caller.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     */
    public static Optional<SessionStore> fromSpec(String spec, List<SealingKey> sealingKeys) {
        Objects.requireNonNull(spec, "spec");
        String lower = spec.strip().toLowerCase(Locale.ROOT);
        if (lower.equals("none")) {
            return Optional.empty();
        }
        if (lower.equals("memory")) {
            return Optional.of(InMemorySessionStore.builder().build());
        }
        if (lower.startsWith("memory:")) {
            long size = size(spec, lower.substring("memory:".length()));
            try {
                return Optional.of(InMemorySessionStore.builder().maximumSize(size).build());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("session cache '" + spec + "': " + e.getMessage(), e);
            }
        }
        if (lower.matches("rediss?(-sentinel|-cluster)?://.*")) {
            if (sealingKeys == null || sealingKeys.isEmpty()) {
                throw new IllegalArgumentException("session cache '" + spec + "' needs at least one sealing key");
            }
            return Optional.of(redis(spec.strip(), sealingKeys));
        }
        throw new IllegalArgumentException("unknown session cache '" + spec
                + "': expected none, memory, memory:SIZE or a Redis URI (redis://host:port, "
                + "redis-sentinel://host:port,…#masterName, redis-cluster://host:port,…; rediss… for TLS)");
    }

    private static long size(String spec, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("session cache '" + spec + "': '" + digits + "' is not a size", e);
        }
    }

    private static SessionStore redis(String uri, List<SealingKey> sealingKeys) {
        try {
            return RedisSessionStore.builder(uri, sealingKeys).build();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("session cache '" + uri + "' needs Lettuce (io.lettuce:lettuce-core) on "
                    + "the class path", e);
        }
    }
}
