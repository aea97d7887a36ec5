package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The main job end to end, in process: every check passes, one line each, and a summary. */
class SelftestCommandTest {
    @Test
    void selftestPassesEveryCheck() {
        CommandResult result = CommandResult.run("selftest");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertEquals(12, result.out().lines().filter(line -> line.contains("✔")).count(), result.out());
        assertTrue(result.out().contains("serve+probe"), result.out());
        assertTrue(result.out().contains("selftest: 12 passed, 0 failed"), result.out());
    }
}
