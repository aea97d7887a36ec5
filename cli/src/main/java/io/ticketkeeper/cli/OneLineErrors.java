package io.ticketkeeper.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** A failing command prints one line that says why; the stack trace only with --debug or TICKETKEEPER_DEBUG. */
final class OneLineErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        commandLine.getErr().println("ticketkeeper " + commandLine.getCommandName() + ": " + message(e));
        if (debugRequested(parseResult)) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return 2;
    }

    private static String message(Throwable e) {
        Throwable shown = e;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        return shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
    }

    private static boolean debugRequested(ParseResult parseResult) {
        if (System.getenv("TICKETKEEPER_DEBUG") != null) {
            return true;
        }
        for (ParseResult result = parseResult; result != null; result = result.subcommand()) {
            if (result.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
