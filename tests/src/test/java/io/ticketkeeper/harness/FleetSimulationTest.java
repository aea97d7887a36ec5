package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keeps the simulation honest: ten sources on one Redis agree and cost what docs/fleet.md derives. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetSimulationTest {
    @Test
    void tenSourcesCostAFewCommandsEachPerPeriodAndAllHoldTheNewKey() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            FleetSimulation.Result result = FleetSimulation.run(redis, 10, Duration.ofSeconds(2), null, 2);
            System.out.println("simulation: " + result);
            // Per period: 4 polls (a quarter period each) of HGETALL + MGET, one wake-up exchange after the announcement,
            // and the maker's SET/PEXPIREAT/PUBLISH: well under 20.
            assertTrue(result.perSourcePerPeriod() > 2 && result.perSourcePerPeriod() < 20, result::toString);
            // The default jitter is half the poll (250 ms here): every source holds the key well within the poll.
            assertTrue(result.spreadMillis() < 1000, result::toString);
        }
    }
}
