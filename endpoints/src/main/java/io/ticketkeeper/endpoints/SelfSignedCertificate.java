package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;
import static io.ticketkeeper.endpoints.OpenSslCalls.checkNotNull;

import io.ticketkeeper.openssl.LibSsl;

/** A P-256 key and a self-signed certificate for it, made at run time so no secret is committed or shipped. */
public final class SelfSignedCertificate implements AutoCloseable {
    private final long privateKey;
    private final long certificate;

    private SelfSignedCertificate(long privateKey, long certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    public static SelfSignedCertificate create(String commonName) {
        long key = checkNotNull(SSL.generateP256Key(), "a P-256 key");
        long x509 = checkNotNull(SSL.X509_new(), "X509_new");
        check(SSL.X509_set_version(x509, 2), "X509_set_version");
        check(SSL.ASN1_INTEGER_set(SSL.X509_get_serialNumber(x509), System.nanoTime() & 0x7fffffff), "serial");
        checkNotNull(SSL.X509_gmtime_adj(SSL.X509_getm_notBefore(x509), -3600), "notBefore");
        checkNotNull(SSL.X509_gmtime_adj(SSL.X509_getm_notAfter(x509), 86400L * 30), "notAfter");
        check(SSL.X509_set_pubkey(x509, key), "X509_set_pubkey");
        long name = SSL.X509_get_subject_name(x509);
        check(SSL.X509_NAME_add_entry_by_txt(name, "CN", LibSsl.MBSTRING_ASC, commonName),
                "X509_NAME_add_entry_by_txt");
        check(SSL.X509_set_issuer_name(x509, name), "X509_set_issuer_name");
        if (SSL.X509_sign(x509, key, SSL.EVP_sha256()) <= 0) {
            throw new IllegalStateException("X509_sign failed: " + OpenSslCalls.drainErrors());
        }
        return new SelfSignedCertificate(key, x509);
    }

    /** The {@code EVP_PKEY *}. */
    public long privateKey() {
        return privateKey;
    }

    /** The {@code X509 *}. */
    public long certificate() {
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
        byte[] der = SSL.i2d_X509(certificate);
        check(der == null ? 0 : 1, "i2d_X509");
        return der;
    }

    /** The SHA-256 fingerprint of the certificate. */
    public byte[] sha256() {
        return fingerprint(certificate);
    }

    /** The SHA-256 fingerprint of the certificate {@code x509} (an {@code X509 *}). */
    public static byte[] fingerprint(long x509) {
        byte[] digest = SSL.X509_digest(x509, SSL.EVP_sha256());
        check(digest == null ? 0 : 1, "X509_digest");
        return digest;
    }

    @Override
    public void close() {
        SSL.X509_free(certificate);
        SSL.EVP_PKEY_free(privateKey);
    }
}
