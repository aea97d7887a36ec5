package io.ticketkeeper.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ticketkeeper}: the command behind {@code bin/ticketkeeper}. */
@Command(name = "ticketkeeper", mixinStandardHelpOptions = true, version = "ticketkeeper 0.1.0",
        description = "Controls and tests TLS session resumption on OpenSSL from Java.",
        subcommands = {SelftestCommand.class, CommandLine.HelpCommand.class})
public final class TicketKeeperCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    static CommandLine newCommandLine() {
        return new CommandLine(new TicketKeeperCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new OneLineErrors());
    }
}
