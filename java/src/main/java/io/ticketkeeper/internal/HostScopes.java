package io.ticketkeeper.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The virtual host a ticket is bound to, as the 64-bit host id the shim stamps into it. Each host name is its own
 * scope unless the options share tickets across a named group of hosts, whose members then share one id. The id
 * is derived from the names alone (SHA-256), so it is the same on every server of a fleet and across reloads, and
 * a ticket sealed for {@code a.test} keeps resuming on every context that serves {@code a.test}. Id 0 binds a
 * ticket to no host (tickets sealed before hosts were stamped, and by servers that do not stamp).
 */
public final class HostScopes {
    /** The scope of contexts attached without a host name. */
    public static final String UNNAMED = "";

    private final Map<String, Set<String>> groupOf = new HashMap<>();

    /** {@code groups}: sets of host names that share tickets; a name may be in one group only. */
    public HostScopes(List<Set<String>> groups) {
        for (Set<String> group : groups) {
            Set<String> names = new TreeSet<>();
            for (String host : group) {
                names.add(normalize(host));
            }
            for (String name : names) {
                Set<String> earlier = groupOf.put(name, names);
                if (earlier != null) {
                    throw new IllegalArgumentException("the host '" + name + "' is in two groups that share tickets, "
                            + earlier + " and " + names + "; a host shares tickets with one group only");
                }
            }
        }
    }

    /**
     * A host name as TicketKeeper compares it: lower case, without a trailing dot.
     *
     * @throws IllegalArgumentException naming the value when it is empty or holds white space or control
     *     characters
     */
    public static String normalize(String host) {
        Objects.requireNonNull(host, "host name");
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a host name must not be empty, was '" + host + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("a host name must not hold white space or control characters, "
                        + "was '" + host + "'");
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** Validates a group of hosts that share tickets and returns it normalised. */
    public static Set<String> group(Collection<String> hosts) {
        Set<String> names = new TreeSet<>();
        for (String host : Objects.requireNonNull(hosts, "hosts")) {
            names.add(normalize(host));
        }
        if (names.size() < 2) {
            throw new IllegalArgumentException("sharing tickets takes at least two distinct host names, was " + hosts);
        }
        return Set.copyOf(names);
    }

    /**
     * The names a context attached for {@code host} (normalised) serves tickets of: the names of its sharing
     * group, or {@code host} alone; none for {@link #UNNAMED}. Each is normalised (lower case, no trailing dot).
     */
    public Set<String> namesOf(String host) {
        if (UNNAMED.equals(host)) {
            return Set.of();
        }
        return groupOf.getOrDefault(host, Set.of(host));
    }

    /** The host id stamped into tickets sealed for {@code host} (normalised, or {@link #UNNAMED}); never 0. */
    public long idOf(String host) {
        Set<String> names = groupOf.getOrDefault(host, Set.of(host));
        MessageDigest sha256 = sha256();
        sha256.update("ticketkeeper host scope\n".getBytes(StandardCharsets.UTF_8));
        for (String name : new TreeSet<>(names)) {
            sha256.update(name.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
        }
        byte[] digest = sha256.digest();
        long id = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            id = (id << 8) | (digest[i] & 0xff);
        }
        return id == 0 ? 1 : id;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
