package io.ticketkeeper.harness;

import static io.ticketkeeper.openssl.ffm.OpenSsl.*;
import static io.ticketkeeper.harness.OpenSslCalls.check;
import static io.ticketkeeper.harness.OpenSslCalls.checkNotNull;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** A P-256 key and a self-signed certificate for it, made at test time so no secret is committed. */
public final class TestCertificate implements AutoCloseable {
    private final MemorySegment privateKey;
    private final MemorySegment certificate;

    private TestCertificate(MemorySegment privateKey, MemorySegment certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    public static TestCertificate create(String commonName) {
        OpenSslCalls.init();
        MemorySegment key = generateKey();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x509 = checkNotNull(X509_new(), "X509_new");
            check(X509_set_version(x509, 2), "X509_set_version");
            check(ASN1_INTEGER_set(X509_get_serialNumber(x509), System.nanoTime() & 0x7fffffff), "serial");
            checkNotNull(X509_gmtime_adj(X509_getm_notBefore(x509), -3600), "notBefore");
            checkNotNull(X509_gmtime_adj(X509_getm_notAfter(x509), 86400L * 30), "notAfter");
            check(X509_set_pubkey(x509, key), "X509_set_pubkey");
            MemorySegment name = X509_get_subject_name(x509);
            check(X509_NAME_add_entry_by_txt(name, arena.allocateFrom("CN"), MBSTRING_ASC(),
                    arena.allocateFrom(commonName), -1, -1, 0), "X509_NAME_add_entry_by_txt");
            check(X509_set_issuer_name(x509, name), "X509_set_issuer_name");
            if (X509_sign(x509, key, EVP_sha256()) <= 0) {
                throw new IllegalStateException("X509_sign failed: " + OpenSslCalls.drainErrors());
            }
            return new TestCertificate(key, x509);
        }
    }

    private static MemorySegment generateKey() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = checkNotNull(
                    EVP_PKEY_CTX_new_from_name(MemorySegment.NULL, arena.allocateFrom("EC"), MemorySegment.NULL),
                    "EVP_PKEY_CTX_new_from_name");
            try {
                check(EVP_PKEY_keygen_init(ctx), "EVP_PKEY_keygen_init");
                check(EVP_PKEY_CTX_set_group_name(ctx, arena.allocateFrom("P-256")), "set_group_name");
                MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
                check(EVP_PKEY_generate(ctx, out), "EVP_PKEY_generate");
                return out.get(ValueLayout.ADDRESS, 0);
            } finally {
                EVP_PKEY_CTX_free(ctx);
            }
        }
    }

    public MemorySegment privateKey() {
        return privateKey;
    }

    public MemorySegment certificate() {
        return certificate;
    }

    /** Writes the certificate and its private key (owner-only) as PEM files, for peers outside this process. */
    public void writePem(java.nio.file.Path certificateFile, java.nio.file.Path keyFile) throws java.io.IOException {
        PemFiles.writeCertificate(certificate, certificateFile);
        PemFiles.writePrivateKey(privateKey, keyFile);
    }

    /** Writes the certificate (not its key) as a PEM file, for clients that must trust it. */
    public void writeCertificatePem(java.nio.file.Path certificateFile) throws java.io.IOException {
        PemFiles.writeCertificate(certificate, certificateFile);
    }

    /** The certificate's DER encoding. */
    public byte[] der() {
        try (Arena arena = Arena.ofConfined()) {
            int length = i2d_X509(certificate, MemorySegment.NULL);
            MemorySegment buffer = arena.allocate(length);
            MemorySegment cursor = arena.allocate(ValueLayout.ADDRESS);
            cursor.set(ValueLayout.ADDRESS, 0, buffer);
            check(i2d_X509(certificate, cursor) == length ? 1 : 0, "i2d_X509");
            return buffer.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** The SHA-256 fingerprint of the certificate. */
    public byte[] sha256() {
        return fingerprint(certificate);
    }

    public static byte[] fingerprint(MemorySegment x509) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment digest = arena.allocate(64);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            check(X509_digest(x509, EVP_sha256(), digest, length), "X509_digest");
            return digest.asSlice(0, length.get(ValueLayout.JAVA_INT, 0)).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void close() {
        X509_free(certificate);
        EVP_PKEY_free(privateKey);
    }
}
