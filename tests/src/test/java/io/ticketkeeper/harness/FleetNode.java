package io.ticketkeeper.harness;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.fleet.FleetKeySource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One server of a fleet in this JVM: a fleet key source on a real Redis, a server context with TicketKeeper
 * installed (the default policy with {@code maxAge}), and the key events it saw.
 */
final class FleetNode implements AutoCloseable {
    final FleetKeySource source;
    final ServerContext context;
    final TicketKeeperHandle handle;
    final List<KeyEvent> events = new CopyOnWriteArrayList<>();

    FleetNode(FleetKeySource.Builder source, Clock clock, Duration maxAge, TlsVersion version,
            SelfSignedCertificate certificate) {
        this.source = source.build();
        this.context = ServerContext.builder(version, certificate).build();
        this.handle = TicketKeeper.install(context.address(), TicketKeeperOptions.builder()
                .clock(clock)
                .policy(DefaultTicketPolicy.builder().maxAge(maxAge).build())
                .keySource(this.source)
                .keyEventListener(events::add)
                .build());
    }

    /** What the source's thread does on a poll, then the handle's refresh: the ring up to date, now. */
    void sync() {
        source.sync();
        handle.refreshKeys();
    }

    /** The names (hex) of the keys in force, newest first. */
    List<String> keyNames() {
        KeySnapshot keys = handle.keys();
        List<String> names = new ArrayList<>();
        for (int slot = 0; slot < keys.size(); slot++) {
            names.add(HexFormat.of().formatHex(keys.key(slot).name()));
        }
        return names;
    }

    /** The name (hex) of the key that seals at {@code nowMillis} by the snapshot's schedule, or null. */
    String sealingName(long nowMillis) {
        KeySnapshot keys = handle.keys();
        for (int slot = 0; slot < keys.size(); slot++) {
            if (keys.seals(slot, nowMillis)) {
                return HexFormat.of().formatHex(keys.key(slot).name());
            }
        }
        return null;
    }

    long count(KeyEvent.Type type) {
        return events.stream().filter(event -> event.type() == type).count();
    }

    @Override
    public void close() {
        handle.close();
        context.close();
        source.close();
    }

    /** The key name (hex) a ticket was sealed under: its first 16 bytes. */
    static String sealedBy(HandshakeResult result) {
        return HexFormat.of().formatHex(result.session().ticket(), 0, 16);
    }
}
