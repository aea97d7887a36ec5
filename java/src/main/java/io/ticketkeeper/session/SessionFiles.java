package io.ticketkeeper.session;

import io.ticketkeeper.internal.Backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sessions persisted as PEM ({@code -----BEGIN SSL SESSION PARAMETERS-----}, written and read by OpenSSL's
 * {@code PEM_write_bio_SSL_SESSION} / {@code PEM_read_bio_SSL_SESSION}), each block preceded by a comment line
 * with its label. {@code openssl sess_id -in FILE} reads the first one. The files hold master secrets: they are
 * written owner-only (0600) and replaced atomically.
 */
public final class SessionFiles {
    private static final String LABEL_PREFIX = "# ";
    private static final String BEGIN = "-----BEGIN SSL SESSION PARAMETERS-----";
    private static final String END = "-----END SSL SESSION PARAMETERS-----";

    private SessionFiles() {
    }

    /**
     * A session with a label (for example the peer a client session belongs to).
     *
     * @param label one line of text, without line breaks; may be empty
     * @param session the session's DER form
     */
    public record LabeledSession(String label, byte[] session) {
        public LabeledSession {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(session, "session");
            if (label.indexOf('\n') >= 0 || label.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a session label is one line, not " + label.length()
                        + " characters with a line break");
            }
        }
    }

    /** The PEM form of the DER session {@code session}. */
    public static String toPem(byte[] session) {
        return Backends.get().sessionNatives().toPem(session);
    }

    /** The DER form of the session in {@code pem}; throws IllegalArgumentException when it holds none. */
    public static byte[] fromPem(String pem) {
        return Backends.get().sessionNatives().fromPem(pem);
    }

    /** Writes {@code sessions} to {@code file} (owner-only, replaced atomically). */
    public static void write(Path file, List<LabeledSession> sessions) {
        StringBuilder text = new StringBuilder();
        for (LabeledSession entry : sessions) {
            text.append(LABEL_PREFIX).append(entry.label()).append('\n').append(toPem(entry.session()));
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            createOwnerOnly(temporary);
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write sessions to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    /**
     * Reads the sessions of {@code file}, in order.
     *
     * @throws IllegalArgumentException naming the file and the block that is not a session
     * @throws UncheckedIOException when the file cannot be read, naming it
     */
    public static List<LabeledSession> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read sessions from " + file + ": " + e.getMessage(), e);
        }
        List<LabeledSession> sessions = new ArrayList<>();
        String label = "";
        StringBuilder block = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (block == null && line.startsWith(LABEL_PREFIX)) {
                label = line.substring(LABEL_PREFIX.length());
            } else if (block == null && line.equals(BEGIN)) {
                block = new StringBuilder(line).append('\n');
            } else if (block != null) {
                block.append(line).append('\n');
                if (line.equals(END)) {
                    sessions.add(new LabeledSession(label, parse(file, i + 1, block.toString())));
                    block = null;
                    label = "";
                }
            }
        }
        if (block != null) {
            throw new IllegalArgumentException(file + ": the last session has no " + END + " line");
        }
        return sessions;
    }

    private static byte[] parse(Path file, int line, String pem) {
        try {
            return fromPem(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the session ending on line " + line
                    + " is not an OpenSSL session", e);
        }
    }
}
