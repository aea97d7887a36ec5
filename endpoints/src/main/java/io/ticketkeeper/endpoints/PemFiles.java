package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;

import io.ticketkeeper.openssl.LibSsl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.LongToIntFunction;

/** Certificates and keys in PEM files: loaded into an {@code SSL_CTX} by OpenSSL, or written from memory. */
public final class PemFiles {
    private PemFiles() {
    }

    /**
     * Loads a PEM certificate chain and its PEM private key into {@code ctx}.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no usable PEM
     */
    public static void useCertificate(long ctx, Path certificateFile, Path keyFile) {
        requireReadable(certificateFile, "certificate");
        requireReadable(keyFile, "private key");
        if (SSL.SSL_CTX_use_certificate_chain_file(ctx, certificateFile.toString()) != 1) {
            throw new IllegalArgumentException(certificateFile + ": not a PEM certificate ("
                    + OpenSslCalls.drainErrors() + ")");
        }
        if (SSL.SSL_CTX_use_PrivateKey_file(ctx, keyFile.toString(), LibSsl.SSL_FILETYPE_PEM) != 1) {
            throw new IllegalArgumentException(keyFile + ": not a PEM private key for " + certificateFile + " ("
                    + OpenSslCalls.drainErrors() + ")");
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
    static void writeCertificate(long x509, Path file) throws IOException {
        write(file, "rw-r--r--", bio -> SSL.PEM_write_bio_X509(bio, x509));
    }

    /** Writes {@code key} to {@code file} as unencrypted PKCS#8 PEM, readable by its owner only. */
    static void writePrivateKey(long key, Path file) throws IOException {
        write(file, "rw-------", bio -> SSL.PEM_write_bio_PrivateKey(bio, key));
    }

    /** {@code writer} writes PEM to the BIO it gets and returns 1 on success. */
    private static void write(Path file, String permissions, LongToIntFunction writer) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        long bio = SSL.BIO_new_file(file.toString(), "w");
        if (bio == 0) {
            throw new IOException(file + ": cannot open for writing (" + OpenSslCalls.drainErrors() + ")");
        }
        try {
            if (writer.applyAsInt(bio) != 1) {
                throw new IOException(file + ": PEM write failed (" + OpenSslCalls.drainErrors() + ")");
            }
        } finally {
            SSL.BIO_free(bio);
        }
    }
}
