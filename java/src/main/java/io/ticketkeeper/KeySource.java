package io.ticketkeeper;

import java.time.Duration;
import java.util.List;

/**
 * Where a handle's keys come from: {@link KeyRotation} generates them on a schedule, {@link KeyFiles} reads them
 * from files. The handle asks its source on its own scheduler thread every {@link #checkInterval()}, and whenever
 * {@link TicketKeeperHandle#refreshKeys()} is called.
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
}
