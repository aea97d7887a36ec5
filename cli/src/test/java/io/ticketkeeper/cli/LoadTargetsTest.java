package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code load --target}: connections alternate between the servers and every offer is counted as one across
 * servers; two serves with keys of their own resume none of each other's sessions, and say why. One target keeps
 * the JSON it had.
 */
class LoadTargetsTest {
    @Test
    void twoServersWithTheirOwnKeysResumeNoneOfEachOthersSessions() throws Exception {
        CommandResult load;
        try (HttpsResponder a = HttpsResponder.start(ServerSettings.builder().port(0).build(), event -> { });
                HttpsResponder b = HttpsResponder.start(ServerSettings.builder().port(0).build(), event -> { })) {
            load = CommandResult.run("load", "127.0.0.1", String.valueOf(a.port()), "--target",
                    "127.0.0.1:" + b.port(), "-c", "2", "-n", "40", "--resume", "100%", "--tls1.3", "--json", "-q");
            assertEquals(20, a.counters().connections(), a.summary());
            assertEquals(20, b.counters().connections(), b.summary());
        }
        String json = load.out();
        assertEquals(0, LoadJson.number(json, "failed"), json);
        assertEquals(38, LoadJson.number(json, "offered"), json);
        assertEquals(38, LoadJson.number(json, "acrossOffered"), json);
        assertEquals(0, LoadJson.number(json, "acrossResumed"), json);
        assertEquals("{\"" + ResumptionOutcome.UNKNOWN_KEY.description() + "\":38}",
                LoadJson.object(json, "notResumed"), json);
        assertTrue(json.contains("\"targets\":[{\"host\":\"127.0.0.1\""), json);
    }

    @Test
    void oneTargetKeepsItsOutput() throws Exception {
        CommandResult load;
        try (HttpsResponder a = HttpsResponder.start(ServerSettings.builder().port(0).build(), event -> { })) {
            load = CommandResult.run("load", "127.0.0.1", String.valueOf(a.port()), "-c", "1", "-n", "5", "-q");
        }
        assertEquals(0, load.exitCode(), load.out() + load.err());
        assertFalse(load.out().contains("across") || load.out().contains("per server"), load.out());
        assertTrue(load.out().startsWith("load: 127.0.0.1:"), load.out());
    }

    @Test
    void aTargetMustBeHostAndPort() {
        for (String bad : new String[] {"127.0.0.1", "127.0.0.1:0", ":443", "localhost:http"}) {
            String message = assertThrows(IllegalArgumentException.class, () -> LoadCommand.parseTarget(bad))
                    .getMessage();
            assertTrue(message.contains("'" + bad + "' is not HOST:PORT"), message);
        }
        assertEquals(new Probe.Target("::1", 8443), LoadCommand.parseTarget("[::1]:8443"));
    }
}
