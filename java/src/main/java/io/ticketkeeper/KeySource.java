package io.ticketkeeper;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a handle's keys come from: {@link KeyRotation} generates them on a schedule, {@link KeyFiles} reads them
 * from files, {@code io.ticketkeeper.fleet.FleetKeySource} shares them with a fleet through Redis. The handle asks
 * its source on its own scheduler thread every {@link #checkInterval()}, and whenever
 * {@link TicketKeeperHandle#refreshKeys()} is called; never on a handshake.
 */
public interface KeySource {
    /**
     * The keys the ring should hold at {@code nowMillis} (by the handle's clock), given the keys it holds now, in
     * any order. Return {@code current} itself when nothing changed. Keys left out are dropped once published and
     * destroyed; keys past their open-until time are dropped by the ring anyway.
     *
     * @throws TicketKeeperException when the source cannot say (for example a bad key file); the message names
     *     what and why, and the keys in force stay in force
     */
    List<ScheduledKey> refresh(long nowMillis, List<ScheduledKey> current);

    /** How often the handle asks. */
    Duration checkInterval();

    /**
     * Called once by each handle that uses this source, when it is installed: where the source reports what it
     * sees by itself, between refreshes and on its own threads ({@link KeyEvent.Type#FETCHED},
     * {@link KeyEvent.Type#REFUSED}, {@link KeyEvent.Type#SOURCE_DOWN}, {@link KeyEvent.Type#SOURCE_UP}). The
     * handle counts them in its {@link KeyRingStats} and passes them on to its key event listener. The default
     * ignores it: rotation and key files see nothing between refreshes.
     */
    default void reportTo(Consumer<KeyEvent> events) {
    }

    /** Whether the service the source depends on answers; {@link KeySourceHealth#local()} when it needs none. */
    default KeySourceHealth health() {
        return KeySourceHealth.local();
    }
}
