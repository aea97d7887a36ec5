package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Keeps the simulation honest: ten sources on one Redis agree and cost what docs/fleet.md derives. It starts ten
 * Lettuce clients at once, each with its own event loops, and on a busy two-core CI machine one of them once waited
 * more than 10 s for its connection: a measurement of cost belongs on a quiet machine, so the test runs on request
 * ({@code -Dticketkeeper.simulation=true}), as bin/bench's measurements do.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@EnabledIfSystemProperty(named = "ticketkeeper.simulation", matches = "true",
        disabledReason = "a cost measurement: run with -Dticketkeeper.simulation=true on a quiet machine")
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
