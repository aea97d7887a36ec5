package example.docs;

import io.ticketkeeper.EarlyDataOptions;
import io.ticketkeeper.EarlyDataStatus;
import io.ticketkeeper.ReplayRecord;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.session.redis.RedisReplayRecord;

import java.time.Duration;

/** The code of docs/library.md's and docs/fleet.md's early data sections. */
final class EarlyDataSnippets {
    private EarlyDataSnippets() {
    }

    static TicketKeeperHandle oneServer(long sslCtx) {
        // tag::earlyData[]
        TicketKeeperHandle handle = TicketKeeper.install(sslCtx, TicketKeeperOptions.builder()
                .earlyData(EarlyDataOptions.builder()
                        .maxBytes(16384)                                        // tickets advertise this much
                        .record(ReplayRecord.inMemory(Duration.ofSeconds(11), 100_000)) // one server's record
                        .build())
                .build());
        // end::earlyData[]
        return handle;
    }

    static TicketKeeperHandle fleet(long sslCtx) {
        // tag::earlyDataFleet[]
        RedisReplayRecord record = RedisReplayRecord.builder("rediss://redis.internal:6380")
                .window(Duration.ofSeconds(11))   // OpenSSL's 10 s ticket age allowance, and a margin
                .wait(Duration.ofMillis(20))      // the longest a handshake waits; then 1-RTT
                .build();
        TicketKeeperHandle handle = TicketKeeper.install(sslCtx, TicketKeeperOptions.builder()
                .earlyData(EarlyDataOptions.builder().record(record).build())   // the handle closes the record
                .build());
        // end::earlyDataFleet[]
        return handle;
    }

    static int status(TicketKeeperHandle handle, long ssl, boolean idempotent) {
        // tag::tooEarly[]
        // After the handshake: a request that came as early data may be a replay (RFC 8470).
        if (handle.earlyDataStatus(ssl) == EarlyDataStatus.ACCEPTED && !idempotent) {
            return 425;   // Too Early: the client sends it again after the handshake
        }
        // end::tooEarly[]
        return 200;
    }
}
