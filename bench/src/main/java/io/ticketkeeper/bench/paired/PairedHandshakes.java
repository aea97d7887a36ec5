package io.ticketkeeper.bench.paired;

import io.ticketkeeper.bench.ServerTickets;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.internal.Backends;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The handshake table, measured in pairs: every contestant of a case (OpenSSL's built-in ticket keys, TicketKeeper
 * on this JVM's backend, the JDK's TLS) lives in this one process, and short batches alternate between them
 * (A B B A ...), so that what the machine does to one it does to the other. Each round gives one ratio per
 * comparison; the claim is the median ratio with its 95 % interval (sign test), and a target counts as met only
 * when the whole interval is at or above it. Run by {@code bin/bench}; writes JSON for
 * {@code bench/scripts/report.py}. A JVM runs one TicketKeeper backend, so each further backend gets a JVM of its
 * own, where it is paired against the built-in keys in the same way; its cases join this JVM's results.
 */
@Command(name = "paired", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Handshakes per second and CPU time per handshake, measured in alternating batches.")
public final class PairedHandshakes implements Callable<Integer> {
    static final double ONE_THREAD_TARGET = 0.98;
    static final double TWO_THREAD_TARGET = 0.95;
    static final double FLAT_TARGET = 0.95;
    static final String BUILTIN_AGAIN = ServerTickets.OPENSSL_BUILTIN + "-again";
    private static final List<String> ALL_CASES = List.of("tls1.2-full", "tls1.2-resumed", "tls1.3-full",
            "tls1.3-resumed");

    @Option(names = "--pairs", defaultValue = "40",
            description = "Measured rounds per case (a pair of batches with two contestants). Default ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--batch", defaultValue = "100", description = "Milliseconds per batch. Default ${DEFAULT-VALUE}.")
    long batchMillis;

    @Option(names = "--warmup", defaultValue = "3", description = "Seconds of unmeasured rounds per case. Default ${DEFAULT-VALUE}.")
    double warmupSeconds;

    // The JIT compiles TicketKeeper's upcalls and policy later than the harness code both contestants share: with
    // only the case's own warm-up, the first case measured TicketKeeper 3-5 % low, the same case run second did not.
    @Option(names = "--jvm-warmup", defaultValue = "10",
            description = "Seconds of unmeasured rounds added to the first case's warm-up, for the JIT. "
                    + "Default ${DEFAULT-VALUE}.")
    double jvmWarmupSeconds;

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "Measuring threads, one case each. Default ${DEFAULT-VALUE}.")
    List<Integer> threads;

    @Option(names = "--cases", split = ",", defaultValue = "tls1.2-full,tls1.2-resumed,tls1.3-full,tls1.3-resumed",
            description = "Handshakes: tls1.2-full, tls1.2-resumed, tls1.3-full, tls1.3-resumed. Default: all.")
    List<String> cases;

    @Option(names = "--backend", split = ",", defaultValue = ServerTickets.FFM + "," + ServerTickets.JNA,
            description = "TicketKeeper's backends, each a contestant against the built-in keys. The first must be "
                    + "this JVM's; each other one runs in a JVM of its own (-Dticketkeeper.backend), paired against "
                    + "the built-in keys there, without JSSE and key lookup. Default ${DEFAULT-VALUE}.")
    List<String> backends;

    @Option(names = "--no-jsse", negatable = false,
            description = "Leave out the JDK's TLS (SSLEngine, stateless tickets) in the one-thread resumed cases.")
    boolean noJsse;

    @Option(names = "--twice", negatable = false,
            description = "Add the built-in keys a second time, on a context of their own, and compare the two: the "
                    + "ratio of two identical contestants shows what the method itself resolves (an A/A test).")
    boolean twice;

    @Option(names = "--keys", split = ",", defaultValue = "10,1000,10000",
            description = "Key counts of the key lookup case (resumed TLS 1.2, one thread); 0 leaves it out. "
                    + "Default ${DEFAULT-VALUE}.")
    List<Integer> keyCounts;

    @Option(names = "--json", defaultValue = "target/bench/handshakes.json", description = "Results. Default ${DEFAULT-VALUE}.")
    Path json;

    @Option(names = "--quick", description = "Two short rounds per case, no warm-up: checks that every contestant "
            + "works; the figures mean nothing.")
    boolean quick;

    public static void main(String[] args) {
        JsseContestant.enableStatelessTickets();
        System.exit(new CommandLine(new PairedHandshakes()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (quick) {
            rounds = 2;
            batchMillis = 20;
            warmupSeconds = 0;
            jvmWarmupSeconds = 0;
        }
        if (rounds < 1 || batchMillis < 1 || warmupSeconds < 0 || jvmWarmupSeconds < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--pairs and --batch must be positive and --warmup and --jvm-warmup not negative");
        }
        ServerTickets.checkBackend(backends.get(0));
        List<String> elsewhere = backends.subList(1, backends.size());
        List<HandshakeCase> plan = plan();
        PrintStream err = System.err;
        Progress progress = new Progress(err, System.console() != null);
        List<Object> results = new ArrayList<>();
        Instant started = Instant.now();
        for (int i = 0; i < plan.size(); i++) {
            HandshakeCase handshakeCase = plan.get(i);
            String label = "[" + (i + 1) + "/" + plan.size() + "] " + handshakeCase.title();
            double warmup = warmupSeconds + (i == 0 ? jvmWarmupSeconds : 0);
            CaseResult result = CaseRunner.run(handshakeCase, rounds, batchMillis * 1_000_000L, (long) (warmup * 1e9),
                    round -> progress.round(label, round, rounds));
            progress.done();
            if (quick) {
                err.println("paired: " + label + ": every handshake checked (quick mode: no figures)");
            }
            for (HandshakeCase.Comparison comparison : quick ? List.<HandshakeCase.Comparison>of()
                    : handshakeCase.comparisons()) {
                err.println("paired: " + label + ": " + result.ratios(comparison).describe());
            }
            results.add(result.toJson());
            write(started, results);
        }
        for (String backend : elsewhere) {
            String itsCases = inOwnJvm(backend);
            if (!itsCases.isEmpty()) {
                results.add(new Json.Raw(itsCases));
                write(started, results);
            }
        }
        err.println("paired: " + plan.size() + " cases in " + Duration.between(started, Instant.now()).toSeconds()
                + " s; results in " + json);
        return 0;
    }

    /**
     * Runs this table for {@code backend} in a second JVM that uses it (a JVM has one backend), its TicketKeeper
     * paired against the built-in keys in that JVM, and returns the cases it measured as JSON.
     */
    private String inOwnJvm(String backend) throws IOException {
        Path childJson = Files.createTempFile("paired-" + backend, ".json");
        try {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-D" + Backends.PROPERTY + "=" + backend, "-cp",
                    System.getProperty("java.class.path"), PairedHandshakes.class.getName(),
                    "--backend", backend, "--no-jsse", "--keys", "0",
                    "--threads", join(threads), "--cases", String.join(",", cases), "--pairs", "" + rounds,
                    "--batch", "" + batchMillis, "--warmup", "" + warmupSeconds, "--jvm-warmup", "" + jvmWarmupSeconds,
                    "--json", childJson.toString()));
            if (quick) {
                command.add("--quick");
            }
            System.err.println("paired: the " + backend + " backend, in a JVM of its own");
            Process child = new ProcessBuilder(command).inheritIO().start();
            int status = child.waitFor();
            if (status != 0) {
                throw new IOException("the paired run for the " + backend + " backend failed (exit status " + status
                        + "): " + String.join(" ", command));
            }
            return Json.arrayItems(Files.readString(childJson), "cases");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the " + backend + " backend was measured", e);
        } finally {
            Files.deleteIfExists(childJson);
        }
    }

    private static String join(List<Integer> numbers) {
        return String.join(",", numbers.stream().map(String::valueOf).toList());
    }

    private List<HandshakeCase> plan() {
        List<HandshakeCase> plan = new ArrayList<>();
        for (int threadCount : threads) {
            for (String id : cases) {
                plan.add(handshakeCase(id, threadCount));
            }
        }
        List<Integer> counts = keyCounts.stream().filter(count -> count > 0).toList();
        if (counts.size() > 1) {
            plan.add(keyLookupCase(counts));
        }
        return plan;
    }

    private HandshakeCase handshakeCase(String id, int threadCount) {
        if (!ALL_CASES.contains(id)) {
            throw new IllegalArgumentException("unknown case '" + id + "'; cases: " + String.join(", ", ALL_CASES));
        }
        if (threadCount < 1) {
            throw new IllegalArgumentException("--threads must be positive, was " + threadCount);
        }
        TlsVersion version = id.startsWith("tls1.2") ? TlsVersion.TLS1_2 : TlsVersion.TLS1_3;
        boolean resumed = id.endsWith("resumed");
        List<HandshakeCase.Entry> entries = new ArrayList<>();
        List<HandshakeCase.Comparison> comparisons = new ArrayList<>();
        entries.add(new HandshakeCase.Entry(ServerTickets.OPENSSL_BUILTIN, () -> new OpenSslContestant(
                ServerTickets.OPENSSL_BUILTIN, version, resumed, ServerTickets.OPENSSL_BUILTIN, 1, null)));
        if (twice) {
            entries.add(new HandshakeCase.Entry(BUILTIN_AGAIN, () -> new OpenSslContestant(BUILTIN_AGAIN, version,
                    resumed, ServerTickets.OPENSSL_BUILTIN, 1, null)));
            comparisons.add(new HandshakeCase.Comparison(BUILTIN_AGAIN, ServerTickets.OPENSSL_BUILTIN, Double.NaN));
        }
        double target = threadCount == 1 ? ONE_THREAD_TARGET : TWO_THREAD_TARGET;
        String backend = backends.get(0);
        String name = ticketKeeperName(backend);
        entries.add(new HandshakeCase.Entry(name, () -> new OpenSslContestant(name, version, resumed,
                ServerTickets.TICKETKEEPER, 1, backend)));
        comparisons.add(new HandshakeCase.Comparison(name, ServerTickets.OPENSSL_BUILTIN, target));
        if (!noJsse && resumed && threadCount == 1) {
            entries.add(new HandshakeCase.Entry(JsseContestant.NAME, () -> new JsseContestant(version, true)));
            comparisons.add(new HandshakeCase.Comparison(JsseContestant.NAME, name, Double.NaN));
        }
        // The cases of another backend's JVM carry its name, so that no table mixes the built-in keys of two JVMs.
        boolean ownBackend = ServerTickets.FFM.equals(backend);
        return new HandshakeCase(id + "-" + threadCount + "t" + (ownBackend ? "" : "-" + backend),
                ownBackend ? null : backend.toUpperCase(Locale.ROOT) + " backend", version, resumed, threadCount,
                entries, comparisons);
    }

    /** Resumed TLS 1.2 with more and more published keys, each against the fewest: the key lookup stays flat. */
    private HandshakeCase keyLookupCase(List<Integer> counts) {
        List<HandshakeCase.Entry> entries = new ArrayList<>();
        List<HandshakeCase.Comparison> comparisons = new ArrayList<>();
        String backend = backends.get(0);
        String fewest = keysName(counts.get(0));
        for (int count : counts) {
            String name = keysName(count);
            entries.add(new HandshakeCase.Entry(name, () -> new OpenSslContestant(name, TlsVersion.TLS1_2, true,
                    ServerTickets.TICKETKEEPER, count, backend)));
            if (!name.equals(fewest)) {
                comparisons.add(new HandshakeCase.Comparison(name, fewest, FLAT_TARGET));
            }
        }
        return new HandshakeCase("keys-tls1.2-resumed-1t", "key lookup", TlsVersion.TLS1_2, true, 1, entries, comparisons);
    }

    /** {@code ticketkeeper} on the FFM backend (the one every earlier result names), else {@code ticketkeeper-jna}. */
    static String ticketKeeperName(String backend) {
        return ServerTickets.FFM.equals(backend) ? ServerTickets.TICKETKEEPER
                : ServerTickets.TICKETKEEPER + "-" + backend.toLowerCase(Locale.ROOT);
    }

    private static String keysName(int count) {
        return ServerTickets.TICKETKEEPER + "/" + count + " keys";
    }

    private void write(Instant started, List<Object> results) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("started", started.toString());
        settings.put("quick", quick);
        settings.put("roundsPerCase", rounds);
        settings.put("batchMillis", batchMillis);
        settings.put("warmupSeconds", warmupSeconds);
        settings.put("jvmWarmupSeconds", jvmWarmupSeconds);
        settings.put("backends", backends);
        settings.put("confidence", CaseResult.CONFIDENCE);
        settings.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        settings.put("processors", Runtime.getRuntime().availableProcessors());
        document.put("settings", settings);
        document.put("cases", results);
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(json, Json.write(document));
    }

    /** The live progress line: rewritten in place on a terminal, every tenth round otherwise. */
    private record Progress(PrintStream out, boolean terminal) {
        void round(String label, int round, int of) {
            String line = "paired: " + label + ": round " + round + "/" + of + " (load " + CaseRunner.loadAverage()
                    + ")";
            if (terminal) {
                out.print("\r" + line + "\033[K");
                out.flush();
            } else if (round % 10 == 0 || round == of) {
                out.println(line);
            }
        }

        void done() {
            if (terminal) {
                out.print("\r\033[K");
            }
        }
    }
}
