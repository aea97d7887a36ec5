package io.ticketkeeper.cli;

import io.ticketkeeper.session.redis.SealingKey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys that seal sessions in a shared store ({@code serve --session-key-file}) or wrap a fleet's ticket keys in
 * Redis ({@code serve --fleet-key-file}): each file holds 32 random bytes ({@code ticketkeeper keygen --format
 * session}, {@code --format fleet}, or {@code openssl rand 32}). The first file's key seals, all open. A key's id,
 * written into every entry it seals, is derived from the key (a digest, not the key), so every server that reads
 * the same file gives the same id without anyone choosing one.
 */
final class SessionKeyFiles {
    private SessionKeyFiles() {
    }

    /**
     * The session sealing keys of {@code files}, in order.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static List<SealingKey> read(List<Path> files) {
        return read(files, "session");
    }

    /**
     * The keys of {@code files}, in order; {@code kind} ({@code session}, {@code fleet}) names them in messages as
     * the flag and the keygen format do.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static List<SealingKey> read(List<Path> files, String kind) {
        String what = kind + " key file ";
        List<SealingKey> keys = new ArrayList<>(files.size());
        for (Path file : files) {
            byte[] material = readFile(file, what);
            try {
                if (material.length != SealingKey.KEY_LENGTH) {
                    String size = material.length > SealingKey.KEY_LENGTH ? "more than " + SealingKey.KEY_LENGTH
                            : String.valueOf(material.length);
                    throw new IllegalArgumentException(what + file + ": " + size + " bytes, expected "
                            + SealingKey.KEY_LENGTH + " (ticketkeeper keygen --format " + kind + ")");
                }
                String id = idOf(material);
                if (keys.stream().anyMatch(key -> key.id().equals(id))) {
                    throw new IllegalArgumentException(what + file + ": the same key as an earlier --" + kind
                            + "-key-file");
                }
                keys.add(SealingKey.of(id, material));
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(what) ? e
                        : new IllegalArgumentException(what + file + ": " + e.getMessage(), e);
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        }
        return keys;
    }

    /** "k" and the first 8 bytes of the key's SHA-256 in hex: the same on every server, useless to an attacker. */
    private static String idOf(byte[] material) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material);
            return "k" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] readFile(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(SealingKey.KEY_LENGTH + 1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + file + ": unreadable: no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(what + file + ": unreadable: permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + file + ": unreadable: " + e.getMessage(), e);
        }
    }
}
