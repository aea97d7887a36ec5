package io.ticketkeeper.cli;

import io.ticketkeeper.harness.Rfc5077Scenarios;
import io.ticketkeeper.harness.Rfc5077Scenarios.Check;
import io.ticketkeeper.harness.TlsVersion;
import io.ticketkeeper.harness.Transport;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ticketkeeper selftest}: the six scenarios of the RFC 5077 test plan against an embedded OpenSSL server
 * with TicketKeeper installed, over loopback sockets on ephemeral ports, for TLS 1.2 and TLS 1.3.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Runs the RFC 5077 test plan against an embedded server; exits 1 when a check fails.")
final class SelftestCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--transport", description = "socket (loopback TCP, the default) or memory (BIO pairs)",
            defaultValue = "socket")
    private Transport transport;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Transport chosen = transport;
        int passed = 0;
        int failed = 0;
        out.println("TicketKeeper selftest: RFC 5077 scenarios against an embedded OpenSSL server ("
                + chosen.name().toLowerCase(java.util.Locale.ROOT) + ")");
        for (TlsVersion version : TlsVersion.values()) {
            out.println(version + ":");
            List<Check> checks = new Rfc5077Scenarios(version, chosen).run();
            for (Check check : checks) {
                out.println("  " + (check.passed() ? "✔ " : "✘ ") + check.name() + " — " + check.detail());
                out.flush();
                if (check.passed()) {
                    passed++;
                } else {
                    failed++;
                }
            }
        }
        out.println("selftest: " + passed + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
