package io.ticketkeeper.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** On a cluster every fleet key shares one slot: the prefix keeps a hash tag it has, else becomes one. */
class FleetRedisHashTagTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ticketkeeper:fleet:      | {ticketkeeper:fleet:}",
        "app:{fleet-a}:           | app:{fleet-a}:",
        "app:{}:                  | {app:{}:}",
        "app:}{x:                 | {app:}{x:}",
    })
    void thePrefixIsAHashTag(String prefix, String tagged) {
        assertEquals(tagged, FleetRedis.hashTagged(prefix));
    }
}
