package io.ticketkeeper.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** A failing command prints one line that says why; the stack trace only with TICKETKEEPER_DEBUG set. */
final class OneLineErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        commandLine.getErr().println("ticketkeeper " + commandLine.getCommandName() + ": " + e.getMessage());
        if (System.getenv("TICKETKEEPER_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
        }
        return 2;
    }
}
