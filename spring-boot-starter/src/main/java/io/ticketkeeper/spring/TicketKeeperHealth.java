package io.ticketkeeper.spring;

import io.ticketkeeper.KeyRingStats;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.tomcat.TicketKeeperSslImplementation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The health of TicketKeeper's handles, whichever Boot asks ({@link Boot3HealthIndicator},
 * {@link Boot4HealthIndicator}): down while a key source's service (the fleet's Redis) does not answer (the keys in
 * force stay in force, but no next key arrives), unknown before the server made its first context, else up; the
 * details give each handle's keys, how many are staged (published, not sealing yet) and its source's state.
 */
final class TicketKeeperHealth {
    enum Status { UP, DOWN, UNKNOWN }

    /** Whether ticketkeeper-netty is here: NettySetup's classes need it. */
    static final boolean NETTY = present("io.ticketkeeper.netty.TicketKeeperNetty");
    /** Whether Tomcat is here: TicketKeeperSslImplementation's classes need it. */
    static final boolean TOMCAT = present("org.apache.tomcat.util.net.SSLImplementation");

    private TicketKeeperHealth() {
    }

    static Status status(List<Map<String, Object>> handles) {
        if (handles.isEmpty()) {
            return Status.UNKNOWN;
        }
        for (Map<String, Object> handle : handles) {
            if (KeySourceHealth.State.DOWN.name().equals(handle.get("keySource"))) {
                return Status.DOWN;
            }
        }
        return Status.UP;
    }

    /** The health builder for {@code handles}' {@link #status}, from Boot 3's or Boot 4's factories. */
    static <B> B builder(List<Map<String, Object>> handles, Supplier<B> up, Supplier<B> down, Supplier<B> unknown) {
        switch (status(handles)) {
            case UP:
                return up.get();
            case DOWN:
                return down.get();
            default:
                return unknown.get();
        }
    }

    private static boolean present(String name) {
        try {
            Class.forName(name, false, TicketKeeperHealth.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Every open handle: Tomcat's connectors', then WebFlux servers'. */
    static List<TicketKeeperHandle> open() {
        List<TicketKeeperHandle> open = new ArrayList<>();
        if (TOMCAT) {
            open.addAll(TicketKeeperSslImplementation.openHandles());
        }
        if (NETTY) {
            open.addAll(NettySetup.openHandles());
        }
        return open;
    }

    /** One entry per open handle (one per HTTPS connector). */
    static List<Map<String, Object>> handles() {
        List<Map<String, Object>> handles = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (TicketKeeperHandle handle : open()) {
            Map<String, Object> details = new LinkedHashMap<>();
            KeyRingStats ring = handle.keyRingStats();
            KeySnapshot keys = handle.keys();
            int staged = 0;
            for (int slot = 0; slot < keys.size(); slot++) {
                if (keys.notBeforeMillis(slot) > now) {
                    staged++;
                }
            }
            KeySourceHealth source = ring.source();
            details.put("keys", keys.size());
            details.put("keysStaged", staged);
            details.put("keyGeneration", ring.generation());
            details.put("keySource", source.state().name());
            details.put("keySourceFailures", source.failures());
            if (!source.detail().isEmpty()) {
                details.put("keySourceDetail", source.detail());
            }
            details.put("contexts", handle.contexts().size());
            handles.add(details);
        }
        return handles;
    }
}
