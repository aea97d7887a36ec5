package io.ticketkeeper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ticketkeeper keygen FILE}: writes a fresh session ticket key file (or a session sealing key, or a fleet
 * wrapping key), readable by its owner only.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a session ticket key file from a CSPRNG, mode 0600.",
                "Formats: 80 (default), nginx-48, openssl-48, haproxy, haproxy-48, session, fleet; see "
                        + "--list-formats."})
final class KeygenCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", arity = "0..1", description = "The file to write.")
    private Path file;

    @Option(names = {"-f", "--format"}, defaultValue = "80", converter = FormatConverter.class,
            description = "Key file format. Default ${DEFAULT-VALUE}.")
    private KeygenFormat format;

    @Option(names = {"-n", "--count"}, description = "Keys in a HAProxy file (one a line). Default 3.")
    private Integer count;

    @Option(names = "--force", description = "Replace FILE when it exists.")
    private boolean force;

    @Option(names = "--list-formats", description = "Print the formats and their byte layouts, then exit.")
    private boolean listFormats;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (listFormats) {
            for (KeygenFormat each : KeygenFormat.values()) {
                out.printf("%-11s %s%n", each.flag(), each.layout());
            }
            out.flush();
            return 0;
        }
        if (file == null) {
            throw new IllegalArgumentException("missing FILE: the key file to write");
        }
        int keys = count != null ? count : format.defaultCount();
        if (keys < 1) {
            throw new IllegalArgumentException("--count must be at least 1, was " + keys);
        }
        byte[] content = format.generate(keys);
        try {
            write(content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        out.println("keygen: wrote " + file + " (" + format.flag() + ", " + keys + (keys == 1 ? " key" : " keys")
                + ", " + format.layout() + "), mode 0600");
        out.flush();
        return 0;
    }

    /** Writes owner-only from the first byte: a new file is created 0600; a replaced one is swapped in whole. */
    private void write(byte[] content) throws IOException {
        var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IOException(file + ": the directory " + parent + " does not exist");
        }
        if (!force) {
            try {
                Files.write(Files.createFile(file, ownerOnly), content, StandardOpenOption.WRITE);
                return;
            } catch (FileAlreadyExistsException e) {
                throw new IOException(file + " exists; pass --force to replace it");
            }
        }
        Path temporary = Files.createTempFile(parent, ".ticketkeeper-keygen", ".tmp", ownerOnly);
        try {
            Files.write(temporary, content, StandardOpenOption.WRITE);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Reads --format through {@link KeygenFormat#parse}, whose message lists the formats. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<KeygenFormat> {
        @Override
        public KeygenFormat convert(String value) {
            return KeygenFormat.parse(value);
        }
    }
}
