package io.ticketkeeper.attacks;

import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.VersionRange;
import io.ticketkeeper.harness.NginxServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real TLS server under attack: a {@code ticketkeeper serve} process on one backend, or nginx. Deliberately not
 * AutoCloseable: JUnit closes AutoCloseable arguments of a parameterized test after each invocation, and one server
 * serves every attack.
 */
abstract class Target {
    /** Java 17's runtime: serve on it takes the JNA backend, as a Java 17 deployment does. */
    static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");

    private final String name;

    Target(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    abstract int port();

    abstract boolean alive();

    /** What the server logged so far, for failure messages. */
    abstract String log();

    /** Something that starts a server. */
    interface Starter {
        Target start() throws Exception;
    }

    /**
     * Starts servers at once (each JVM takes seconds to start on a busy machine); all of them or, when one fails,
     * none: those started are stopped and the first failure is thrown.
     */
    static List<Target> startAll(Starter... starters) throws Exception {
        List<java.util.concurrent.CompletableFuture<Target>> futures = new ArrayList<>();
        for (Starter starter : starters) {
            futures.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return starter.start();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        List<Target> started = new ArrayList<>();
        Throwable failure = null;
        for (java.util.concurrent.CompletableFuture<Target> future : futures) {
            try {
                started.add(future.join());
            } catch (java.util.concurrent.CompletionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        if (failure != null) {
            started.forEach(Target::close);
            if (failure instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failure;
        }
        return started;
    }

    AttackClient client(AttackClient.Version version) {
        return new AttackClient(port(), version);
    }

    AttackClient client() {
        return client(AttackClient.Version.TLS1_2);
    }

    @Override
    public String toString() {
        return name;
    }

    abstract void close();

    /** {@code ticketkeeper serve} from the command's jar, in a JVM of its own. */
    static final class Serve extends Target {
        private static final Pattern LISTENING =
                Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)/ \\(([^)]*)");
        private final Process process;
        private final Path log;
        private final int port;
        private final String banner;

        private Serve(String name, Process process, Path log) throws IOException, InterruptedException {
            super(name);
            this.process = process;
            this.log = log;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Matcher matcher = LISTENING.matcher(Files.readString(log));
                if (matcher.find()) {
                    this.port = Integer.parseInt(matcher.group(1));
                    this.banner = matcher.group(2);
                    return;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError(name + " did not start: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }

        /**
         * Starts serve on the FFM backend (this JVM's java, 23+) or on the JNA backend (Java 17's java where it is
         * installed, else this JVM with {@code -Dticketkeeper.backend=jna}), with {@code flags}.
         */
        static Serve start(String name, boolean jna, Path directory, String... flags)
                throws IOException, InterruptedException {
            Path jar = Path.of(System.getProperty("ticketkeeper.serve.jar", "../cli/target/ticketkeeper-cli.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new AssertionError("serve's jar " + jar.toAbsolutePath() + " is missing: build the cli module "
                        + "in the same Maven run (mvn verify -pl ...,cli,attacks)");
            }
            Path thisJava = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>();
            if (jna && Files.isExecutable(JAVA_17)) {
                command.add(JAVA_17.toString());
            } else {
                command.add(thisJava.toString());
                command.add("--enable-native-access=ALL-UNNAMED");
                if (jna) {
                    command.add("-Dticketkeeper.backend=jna");
                }
            }
            command.addAll(List.of("-Xmx256m", "-jar", jar.toString(), "serve", "--port", "0"));
            command.addAll(List.of(flags));
            Path log = directory.resolve(name.replaceAll("[^A-Za-z0-9.-]", "_") + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            Serve serve = new Serve(name, process, log);
            String backend = jna ? "jna" : "ffm";
            if (!serve.banner.contains("with the " + backend)) {
                serve.close();
                throw new AssertionError(name + " runs another backend than " + backend + ": " + serve.banner);
            }
            return serve;
        }

        /** serve's banner: versions, Java, backend, keys. */
        String banner() {
            return banner;
        }

        /** The tickets serve resumed, from the summary it prints when it stops (after {@link #close()}). */
        long ticketsResumed() {
            return summary("tickets sealed \\d+, resumed (\\d+),");
        }

        /** Handshakes TicketKeeper aborted plus its errors (upcall failures), from the summary. */
        long abortedAndErrors() {
            return summary("aborted (\\d+),") + summary("errors (\\d+)");
        }

        private long summary(String pattern) {
            Matcher matcher = Pattern.compile("stopped; .*" + pattern).matcher(log());
            if (!matcher.find()) {
                throw new AssertionError(name() + " printed no summary with " + pattern + ": " + log());
            }
            return Long.parseLong(matcher.group(1));
        }

        @Override
        int port() {
            return port;
        }

        @Override
        boolean alive() {
            return process.isAlive();
        }

        @Override
        String log() {
            try {
                return Files.readString(log) + (process.isAlive() ? "" : "(exited with " + process.exitValue() + ")");
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Debian's nginx with a ticket key file: the reference. */
    static final class Nginx extends Target {
        private final NginxServer server;

        private Nginx(String name, NginxServer server) {
            super(name);
            this.server = server;
        }

        static Nginx start(String name, Path directory, Path keyFile, Duration sessionTimeout) throws IOException {
            try (SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost")) {
                return new Nginx(name, NginxServer.start(Files.createDirectories(directory.resolve(name)),
                        certificate, VersionRange.ALL, List.of(keyFile), sessionTimeout));
            }
        }

        @Override
        int port() {
            return server.port();
        }

        /** Listening, and no worker died (nginx's master would restart one that crashed, and log it). */
        @Override
        boolean alive() {
            try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port())) {
                return socket.isConnected() && !log().contains("exited on signal");
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        String log() {
            return server.log();
        }

        @Override
        void close() {
            server.close();
        }
    }
}
