package io.ticketkeeper.harness;

import static io.ticketkeeper.openssl.ffm.OpenSsl.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Certificates and keys in PEM files: loaded into an {@code SSL_CTX} by OpenSSL, or written from memory. */
public final class PemFiles {
    private PemFiles() {
    }

    /**
     * Loads a PEM certificate chain and its PEM private key into {@code ctx}.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no usable PEM
     */
    public static void useCertificate(MemorySegment ctx, Path certificateFile, Path keyFile) {
        requireReadable(certificateFile, "certificate");
        requireReadable(keyFile, "private key");
        try (Arena arena = Arena.ofConfined()) {
            if (SSL_CTX_use_certificate_chain_file(ctx, arena.allocateFrom(certificateFile.toString())) != 1) {
                throw new IllegalArgumentException(certificateFile + ": not a PEM certificate ("
                        + OpenSslCalls.drainErrors() + ")");
            }
            if (SSL_CTX_use_PrivateKey_file(ctx, arena.allocateFrom(keyFile.toString()), SSL_FILETYPE_PEM()) != 1) {
                throw new IllegalArgumentException(keyFile + ": not a PEM private key for " + certificateFile
                        + " (" + OpenSslCalls.drainErrors() + ")");
            }
        }
    }

    /** Throws with a message naming the file when it cannot be read; OpenSSL's own errors say less. */
    public static void requireReadable(Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(file + ": cannot read the " + what + " file"
                    + (Files.exists(file) ? "" : " (no such file)"));
        }
    }

    /** Writes {@code x509} to {@code file} as PEM. */
    static void writeCertificate(MemorySegment x509, Path file) throws IOException {
        write(file, "rw-r--r--", bio -> PEM_write_bio_X509(bio, x509));
    }

    /** Writes {@code key} to {@code file} as unencrypted PKCS#8 PEM, readable by its owner only. */
    static void writePrivateKey(MemorySegment key, Path file) throws IOException {
        write(file, "rw-------", bio -> PEM_write_bio_PrivateKey(bio, key, MemorySegment.NULL, MemorySegment.NULL,
                0, MemorySegment.NULL, MemorySegment.NULL));
    }

    private interface PemWriter {
        int write(MemorySegment bio);
    }

    private static void write(Path file, String permissions, PemWriter writer) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bio = BIO_new_file(arena.allocateFrom(file.toString()), arena.allocateFrom("w"));
            if (bio.equals(MemorySegment.NULL)) {
                throw new IOException(file + ": cannot open for writing (" + OpenSslCalls.drainErrors() + ")");
            }
            try {
                if (writer.write(bio) != 1) {
                    throw new IOException(file + ": PEM write failed (" + OpenSslCalls.drainErrors() + ")");
                }
            } finally {
                BIO_free(bio);
            }
        }
    }
}
