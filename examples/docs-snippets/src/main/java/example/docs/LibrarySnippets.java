package example.docs;

import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.session.redis.SealingKey;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/** The code of docs/library.md. */
final class LibrarySnippets {
    private static final Logger log = Logger.getLogger("ticketkeeper");

    private LibrarySnippets() {
    }

    static void virtualHosts(long sslCtxOfA, long sslCtxOfB, long newSslCtxOfA) {
        // tag::virtual-hosts[]
        TicketKeeperHandle handle = TicketKeeper.install(TicketKeeperOptions.builder()
                .keySource(KeyFiles.of(KeyFileFormat.NGINX, Path.of("ticket.key")))
                .build());                                          // no context yet
        TicketContext a = handle.attach(sslCtxOfA, "a.test");       // tickets sealed here are bound to a.test
        TicketContext b = handle.attach(sslCtxOfB, "b.test");
        a.stats(); b.stats(); handle.stats();                       // per context, and the totals
        TicketContext reloaded = handle.attach(newSslCtxOfA, "a.test"); // a reload: a.test's tickets resume here too
        a.detach();                                                 // or let the server free it: the handle notices
        handle.contexts();                                          // the contexts attached now
        // end::virtual-hosts[]
        reloaded.detach();
        handle.close();
    }

    static TicketKeeperHandle keyEvents(long sslCtx) {
        return
        // tag::key-events[]
        TicketKeeper.install(sslCtx, TicketKeeperOptions.builder()
                .keySource(KeyRotation.defaults())              // or KeyFiles.of(KeyFileFormat.NGINX, Path.of("ticket.key"))
                .keyEventListener(event -> log.info(event.toString())) // STAGED, PROMOTED, RETIRED, EXPIRED, LOAD_FAILED
                .build());                                      // (a fleet source also FETCHED, REFUSED, SOURCE_DOWN/UP)
        // end::key-events[]
    }

    static void fleet(long sslCtx, byte[] wrappingKeyBytes, char[] password) {
        // tag::fleet[]
        FleetKeySource fleet = FleetKeySource.builder("rediss://redis.internal:6380",
                        List.of(SealingKey.of("w1", wrappingKeyBytes)))   // the first wraps, all unwrap
                .credentials("ticketkeeper", password)                    // an ACL user (null: requirepass)
                .trustedCertificates(Path.of("/etc/ssl/redis-ca.pem"))
                .rotateEvery(Duration.ofHours(1))                         // the same on every server
                .maxTicketAge(Duration.ofHours(12))                       // the policy's maxAge
                .build();                                                 // connects, fetches, makes what is missing
        try (TicketKeeperHandle handle = TicketKeeper.install(sslCtx, TicketKeeperOptions.builder()
                .keySource(fleet).policy(TicketPolicy.defaults(Duration.ofHours(12), Duration.ofHours(6))).build())) {
            // ... serve ...
        }
        fleet.close();   // after the handle: it cleanses the keys it holds
        // end::fleet[]
    }
}
