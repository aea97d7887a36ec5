package io.ticketkeeper.internal;

import java.util.concurrent.atomic.LongAdder;

/** What one key did on handshake threads: tickets it sealed, opened for a resumption, and had turned away. */
public final class KeyCounters {
    final LongAdder sealed = new LongAdder();
    final LongAdder opened = new LongAdder();
    final LongAdder rejected = new LongAdder();

    public long sealed() {
        return sealed.sum();
    }

    public long opened() {
        return opened.sum();
    }

    public long rejected() {
        return rejected.sum();
    }
}
