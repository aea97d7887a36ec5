package io.ticketkeeper.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketStats;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The TicketKeeper handle of a test's one Tomcat connector and what it counted per virtual host, for the tests of
 * this module and of tomcat/tcnative (which compiles src/test/shared too).
 */
public final class ConnectorHandle {
    private ConnectorHandle() {
    }

    /** The one open handle, failing the test if there is none or more than one. */
    public static TicketKeeperHandle only() {
        List<TicketKeeperHandle> handles = List.copyOf(TicketKeeperSslImplementation.openHandles());
        assertEquals(1, handles.size(), "one connector, one handle: " + handles);
        return handles.get(0);
    }

    /** What {@code host}'s contexts counted so far under {@code counter} (a reload gives a host new contexts). */
    public static long counted(String host, ToLongFunction<TicketStats> counter) {
        return only().contexts().stream().filter(context -> context.hostName().orElse("").equals(host))
                .mapToLong(context -> counter.applyAsLong(context.stats())).sum();
    }
}
