package io.ticketkeeper.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code ticketkeeper}: the command behind {@code bin/ticketkeeper}. */
@Command(name = "ticketkeeper", mixinStandardHelpOptions = true, version = "ticketkeeper 0.1.0",
        description = "Controls and tests TLS session resumption on OpenSSL from Java.",
        subcommands = {ServeCommand.class, ProbeCommand.class, LoadCommand.class, KeygenCommand.class,
                SelftestCommand.class, CommandLine.HelpCommand.class})
public final class TicketKeeperCommand implements Runnable {
    /**
     * The library logs through System.Logger (java.util.logging here). The commands print what a person needs in
     * their own lines (serve reports key events itself), so the library's warnings show only with --debug; its
     * errors always do. Held here so that the level set on it is not lost to garbage collection.
     */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("io.ticketkeeper");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces with errors (as does TICKETKEEPER_DEBUG=1).")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        if (System.getenv("TICKETKEEPER_DEBUG") == null && !java.util.List.of(args).contains("--debug")) {
            LIBRARY_LOG.setLevel(java.util.logging.Level.SEVERE);
        }
        System.exit(newCommandLine().execute(args));
    }

    static CommandLine newCommandLine() {
        return new CommandLine(new TicketKeeperCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new OneLineErrors());
    }
}
