package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The main job end to end, in process: every check passes, one line each, and a summary. */
class SelftestCommandTest {
    @Test
    void selftestPassesEveryCheck() {
        StringWriter out = new StringWriter();
        CommandLine command = TicketKeeperCommand.newCommandLine();
        command.setOut(new PrintWriter(out));
        int exit = command.execute("selftest");
        String text = out.toString();
        assertEquals(0, exit, text);
        assertEquals(12, text.lines().filter(line -> line.contains("✔")).count(), text);
        assertTrue(text.contains("selftest: 12 passed, 0 failed"), text);
    }

    @Test
    void aBadFlagIsOneClearLineAndANonZeroExit() {
        StringWriter err = new StringWriter();
        CommandLine command = TicketKeeperCommand.newCommandLine();
        command.setErr(new PrintWriter(err));
        int exit = command.execute("selftest", "--transport", "carrier-pigeon");
        assertTrue(exit != 0);
        assertTrue(err.toString().contains("carrier-pigeon"), err.toString());
    }
}
