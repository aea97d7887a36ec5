package io.ticketkeeper.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.testkit.RandomInputs;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Session cache specs as a command line gives them: any text that does not name Redis gives a store, none, or an
 * IllegalArgumentException naming the spec. (Redis specs connect, so the Redis tests cover them with a server.)
 */
class SessionStoresSpecPropertyTest {
    @Test
    void anySpecGivesAStoreNoneOrAMessageNamingIt() {
        RandomInputs inputs = new RandomInputs();
        List<String> valid = List.of("none", "memory", "memory:100", "memory:0", "MEMORY:5", " memory ");
        inputs.forAllText(in -> in.text(valid, 40), spec -> {
            if (spec.strip().toLowerCase(java.util.Locale.ROOT).startsWith("redis")) {
                return;
            }
            try {
                SessionStores.fromSpec(spec, List.of()).ifPresent(store -> assertTrue(store instanceof InMemorySessionStore));
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("'" + spec + "'") || e.getMessage().contains(spec.strip()),
                        e.getMessage());
            }
        });
    }
}
