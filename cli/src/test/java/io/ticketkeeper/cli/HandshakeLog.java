package io.ticketkeeper.cli;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * The events serve reports, kept in connection order. serve runs each connection on its own thread and reports
 * it after answering, so a client that reconnects at once can be reported before the connection ahead of it, and
 * a test can look before the last report arrived: {@link #get} waits (briefly) for the event it asks for.
 */
final class HandshakeLog extends AbstractList<HandshakeEvent> {
    private static final long WAIT_MILLIS = 10_000;

    private final List<HandshakeEvent> events = new ArrayList<>();

    @Override
    public synchronized boolean add(HandshakeEvent event) {
        int index = 0;
        while (index < events.size() && events.get(index).number() < event.number()) {
            index++;
        }
        events.add(index, event);
        notifyAll();
        return true;
    }

    /** The event of the connection at {@code index} in connection order, waiting for it if need be. */
    @Override
    public synchronized HandshakeEvent get(int index) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (events.size() <= index) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("serve reported no event #" + (index + 1) + " in time: " + events);
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for event #" + (index + 1), e);
            }
        }
        return events.get(index);
    }

    @Override
    public synchronized int size() {
        return events.size();
    }

    @Override
    public synchronized String toString() {
        return events.toString();
    }
}
