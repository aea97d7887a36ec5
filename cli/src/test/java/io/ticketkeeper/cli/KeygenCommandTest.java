package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.TicketKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** keygen writes each format at its size, owner-only, and never replaces a file unless told to. */
class KeygenCommandTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @CsvSource({"80,80", "nginx-48,48", "openssl-48,48", "session,32", "fleet,32"})
    void binaryFormatsHoldOneKeyOfTheirSize(String format, int size) throws Exception {
        Path file = directory.resolve(format + ".key");
        CommandResult result = CommandResult.run("keygen", "--format", format, file.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(size, Files.size(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /** What keygen writes, serve reads with the matching --key-format (the library's KeyFiles). */
    @ParameterizedTest
    @CsvSource({"80,openssl-80,1", "80,nginx,1", "nginx-48,nginx-48,1", "nginx-48,nginx,1", "openssl-48,openssl-48,1",
            "haproxy,haproxy,3", "haproxy-48,haproxy,3"})
    void serveReadsWhatKeygenWrites(String format, String keyFormat, int keys) throws Exception {
        Path file = directory.resolve(format + ".key");
        assertEquals(0, CommandResult.run("keygen", "--format", format, file.toString()).exitCode());
        List<TicketKey> read = KeyFiles.of(new ServeCommand.KeyFormatConverter().convert(keyFormat), file).read();
        try {
            assertEquals(keys, read.size(), read.toString());
        } finally {
            read.forEach(TicketKey::destroy);
        }
    }

    @Test
    void haproxyFilesHoldBase64LinesOf80ByteKeys() throws Exception {
        Path file = directory.resolve("haproxy.keys");
        assertEquals(0, CommandResult.run("keygen", "--format", "haproxy", file.toString()).exitCode());
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        for (String line : lines) {
            assertEquals(80, Base64.getDecoder().decode(line).length);
        }
        assertEquals(3, lines.stream().distinct().count(), "keys repeat");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void anExistingFileIsKeptUnlessForced() throws Exception {
        Path file = directory.resolve("ticket.key");
        assertEquals(0, CommandResult.run("keygen", file.toString()).exitCode());
        byte[] original = Files.readAllBytes(file);

        CommandResult refused = CommandResult.run("keygen", file.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("exists; pass --force"), refused.err());
        assertArrayEquals(original, Files.readAllBytes(file));

        assertEquals(0, CommandResult.run("keygen", "--force", file.toString()).exitCode());
        assertFalse(java.util.Arrays.equals(original, Files.readAllBytes(file)), "--force did not replace the key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aBinaryFileHoldsOneKey() {
        CommandResult result = CommandResult.run("keygen", "--count", "2", directory.resolve("two.key").toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("holds one key"), result.err());
    }
}
