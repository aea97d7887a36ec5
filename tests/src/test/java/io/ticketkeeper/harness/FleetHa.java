package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;

import java.time.Duration;
import java.util.List;

/** What the Sentinel, Cluster and partition tests check on a fleet of in-JVM nodes. */
final class FleetHa {
    private FleetHa() {
    }

    /** Syncs every node every 50 ms until each is UP; the milliseconds it took. */
    static long awaitUp(long millis, List<FleetNode> nodes) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        while (true) {
            boolean up = true;
            for (FleetNode node : nodes) {
                node.sync();
                up &= node.source.health().state() == KeySourceHealth.State.UP;
            }
            if (up) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder states = new StringBuilder();
                nodes.forEach(node -> states.append(node.source.health()).append('\n'));
                throw new AssertionError("the fleet did not reach Redis in " + millis + " ms:\n" + states);
            }
            Thread.sleep(50);
        }
    }

    /** Every node seals with the same key now and in each of the next two periods: no split. */
    static void assertAgree(ManualClock clock, Duration period, List<FleetNode> nodes) {
        for (int ahead = 0; ahead <= 2; ahead++) {
            long at = clock.millis() + ahead * period.toMillis();
            String sealing = nodes.get(0).sealingName(at);
            assertNotNull(sealing, "no key seals " + ahead + " periods ahead");
            for (FleetNode node : nodes) {
                assertEquals(sealing, node.sealingName(at), "the fleet split " + ahead + " periods ahead: "
                        + node.keyNames() + " vs " + nodes.get(0).keyNames());
            }
        }
    }

    /**
     * A full handshake on each node, then a resumption of its ticket on every other node; the number of
     * resumptions that failed.
     */
    static int crossResumeFailures(ClientContext client, List<FleetNode> nodes) {
        return resumeFailures(client, nodes, nodes);
    }

    /** A full handshake on each sealer, then a resumption on every opener but itself; how many failed. */
    static int resumeFailures(ClientContext client, List<FleetNode> sealers, List<FleetNode> openers) {
        int failed = 0;
        for (FleetNode sealer : sealers) {
            try (HandshakeResult sealed = MemoryHandshake.run(sealer.context, client, null)) {
                for (FleetNode opener : openers) {
                    if (opener == sealer) {
                        continue;
                    }
                    try (HandshakeResult resumed = MemoryHandshake.run(opener.context, client, sealed.session())) {
                        failed += resumed.resumed() ? 0 : 1;
                    }
                }
            }
        }
        return failed;
    }
}
