package io.ticketkeeper.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The ticketkeeper command run in this process, with what it printed. */
record CommandResult(int exitCode, String out, String err) {
    static CommandResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = TicketKeeperCommand.newCommandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new CommandResult(exit, out.toString(), err.toString());
    }
}
