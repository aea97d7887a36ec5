package io.ticketkeeper.netty;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * netty-tcnative built from its C sources (Maven Central's {@code netty-tcnative} and {@code netty-jni-util} source
 * jars, unpacked by the build) against the system OpenSSL and Debian's libapr1-dev, with one gcc command: the
 * published linux jars need OpenSSL 3.2 and do not load on Debian 12's 3.0. Built once into a cache folder outside
 * the repository (the build's {@code tcnative.library.dir}, also on {@code java.library.path}, where Netty looks),
 * and built again only when the tcnative version or the OpenSSL version changes.
 */
final class TcnativeLibrary {
    private static final String LIBRARY = "libnetty_tcnative_linux_x86_64.so";

    private TcnativeLibrary() {
    }

    /** Builds the library unless the cache holds one for this tcnative and this OpenSSL; returns its path. */
    static synchronized Path ensureBuilt() throws IOException, InterruptedException {
        Path sources = Path.of(required("tcnative.sources"));
        Path folder = Files.createDirectories(Path.of(required("tcnative.library.dir")));
        Path library = folder.resolve(LIBRARY);
        Path stamp = folder.resolve("built-for.txt");
        String wanted = "netty-tcnative " + required("tcnative.version") + " against " + run(List.of("openssl",
                "version")).strip() + "\n";
        // Another build on this machine (another checkout's tests) may be at it: one builds, the other waits.
        try (FileChannel lockFile = FileChannel.open(folder.resolve("build.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = lockFile.lock();
            try {
                return builtUnder(sources, folder, library, stamp, wanted);
            } finally {
                lock.release();
            }
        }
    }

    private static Path builtUnder(Path sources, Path folder, Path library, Path stamp, String wanted)
            throws IOException, InterruptedException {
        if (Files.isRegularFile(library) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(wanted)) {
            return library;
        }
        System.out.println("netty-tcnative: building " + wanted.strip() + " for the tests (once; cached in "
                + folder + ")");
        long started = System.nanoTime();
        Path building = Files.createTempFile(folder, "building-", ".so");
        run(command(sources, building));
        Files.move(building, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(stamp, wanted);
        System.out.println("netty-tcnative: built in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)
                + " s: " + library);
        return library;
    }

    private static List<String> command(Path sources, Path output) throws IOException {
        Path jdk = Path.of(System.getProperty("java.home"));
        List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O2", "-w", "-o", output.toString(),
                "-I" + sources, "-I" + jdk.resolve("include"), "-I" + jdk.resolve("include/linux"),
                "-I/usr/include/apr-1.0"));
        try (Stream<Path> files = Files.list(sources)) {
            files.filter(file -> file.toString().endsWith(".c")).sorted().forEach(file -> command.add(file.toString()));
        }
        command.addAll(List.of("-lssl", "-lcrypto", "-lapr-1"));
        return command;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed (Debian needs gcc, libssl-dev and libapr1-dev): " + output);
        }
        return output;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("the system property " + property + " is not set: run through Maven");
        }
        return value;
    }
}
