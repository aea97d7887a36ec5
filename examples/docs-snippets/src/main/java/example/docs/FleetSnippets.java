package example.docs;

import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The code of docs/fleet.md. */
final class FleetSnippets {
    private FleetSnippets() {
    }

    static void highlyAvailable(byte[] wrappingKeyBytes, List<SealingKey> sealingKeys, char[] password) {
        // tag::sentinel-and-cluster[]
        // Sentinel: three sentinels watching the master "tickets"
        FleetKeySource fleet = FleetKeySource.builder(
                        "redis-sentinel://ticketkeeper:PASSWORD@10.0.0.5:26379,10.0.0.6:26379,10.0.0.7:26379#tickets",
                        List.of(SealingKey.of("w1", wrappingKeyBytes)))
                .rotateEvery(Duration.ofHours(1)).maxTicketAge(Duration.ofHours(12))
                .build();

        // Cluster: any reachable nodes as seeds; the rest of the cluster is read from them
        RedisSessionStore sessions = RedisSessionStore.builder(
                        "rediss-cluster://10.0.1.5:6379,10.0.1.6:6379,10.0.1.7:6379", sealingKeys)
                .credentials("ticketkeeper", password).trustedCertificates(Path.of("/etc/ssl/redis-ca.pem"))
                .build();
        // end::sentinel-and-cluster[]
        sessions.close();
        fleet.close();
    }
}
