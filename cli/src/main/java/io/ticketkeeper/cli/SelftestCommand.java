package io.ticketkeeper.cli;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.endpoints.TlsVersion;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ticketkeeper selftest}: the six scenarios of the RFC 5077 test plan, each through an embedded
 * {@code serve} on an ephemeral loopback port and {@code probe}, for TLS 1.2 and TLS 1.3.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Runs the RFC 5077 test plan through an embedded serve and probe; exits 1 when a check fails.")
final class SelftestCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int[] passed = {0};
        int[] failed = {0};
        out.println("TicketKeeper selftest: RFC 5077 scenarios through serve (embedded, loopback) and probe, on Java "
                + Runtime.version().feature() + " with the " + TicketKeeper.backendDescription() + " backend");
        out.flush();
        for (TlsVersion version : TlsVersion.values()) {
            out.println(version + ":");
            out.flush();
            new SelftestScenarios(version).run(check -> {
                out.println("  " + (check.passed() ? "✔ " : "✘ ") + check.name() + " — " + check.detail());
                out.flush();
                (check.passed() ? passed : failed)[0]++;
            });
        }
        out.println("selftest: " + passed[0] + " passed, " + failed[0] + " failed");
        out.flush();
        return failed[0] == 0 ? 0 : 1;
    }
}
