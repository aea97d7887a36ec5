package io.ticketkeeper.openssl;

/**
 * The OpenSSL calls that the harness, the command and the benchmarks make to build and drive their own server and
 * client contexts, with one implementation per binding: Panama FFM through jextract's bindings (Java 23+) and JNA
 * direct mapping (Java 17+). Pointers are plain {@code long} addresses (0 is NULL), buffers are Java arrays, so the
 * code above it runs on either.
 *
 * <p>Methods carry the name of the OpenSSL function they call and return what it returns; where a C function
 * hands results back through pointer arguments, the method returns them instead (and says so). The macros over
 * {@code SSL_CTX_ctrl}/{@code SSL_ctrl} are methods here like any function.
 *
 * <p>It works on OpenSSL 1.1.1 and 3.x, whichever the process has loaded: a function that 1.1.1 lacks (it says so)
 * is reached there through the functions 1.1.1 has, chosen once by {@link #OpenSSL_version_num()} inside each
 * binding, so nothing above it asks which OpenSSL it talks to.
 */
public interface LibSsl {
    // Constants from OpenSSL's headers; their values are the same in 1.1.1 and 3.x (ShimContract tests compare
    // them with jextract's reading of the headers).
    int SSL_ERROR_WANT_READ = 2;
    int SSL_ERROR_WANT_WRITE = 3;
    int SSL_ERROR_ZERO_RETURN = 6;
    /** SSL_read_early_data's answers, and SSL_get_early_data_status's. */
    int SSL_READ_EARLY_DATA_ERROR = 0;
    int SSL_READ_EARLY_DATA_SUCCESS = 1;
    int SSL_READ_EARLY_DATA_FINISH = 2;
    int SSL_EARLY_DATA_NOT_SENT = 0;
    int SSL_EARLY_DATA_REJECTED = 1;
    int SSL_EARLY_DATA_ACCEPTED = 2;
    int SSL_FILETYPE_PEM = 1;
    long SSL_OP_NO_TICKET = 1L << 14;
    long SSL_SESS_CACHE_OFF = 0;
    long SSL_SESS_CACHE_SERVER = 2;
    int SSL_VERIFY_PEER = 1;
    int SSL_VERIFY_FAIL_IF_NO_PEER_CERT = 2;
    int SSL_CTRL_SET_SESS_CACHE_MODE = 44;
    int SSL_CTRL_SET_TLSEXT_HOSTNAME = 55;
    int SSL_CTRL_SET_TLSEXT_TICKET_KEYS = 59;
    int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    int SSL_CTRL_SET_MAX_PROTO_VERSION = 124;
    int TLSEXT_NAMETYPE_HOST_NAME = 0;
    int MBSTRING_ASC = 0x1001;
    int EVP_PKEY_EC = 408;
    int NID_X9_62_prime256v1 = 415;
    int EVP_PKEY_OP_PARAMGEN = 1 << 1;
    int EVP_PKEY_OP_KEYGEN = 1 << 2;
    int EVP_PKEY_CTRL_EC_PARAMGEN_CURVE_NID = 0x1001;
    /** {@link #OpenSSL_version_num()} of 3.0.0: the first release with the functions 1.1.1 lacks. */
    long OPENSSL_3_0_0 = 0x3000_0000L;

    /** The binding for this runtime: see {@link LibSslBindings}. */
    static LibSsl get() {
        return LibSslBindings.get();
    }

    /** "ffm" or "jna". */
    String binding();

    /** OpenSSL_version_num: {@code 0xMNN00PP0L} for 3.x (major, minor, patch), {@code 0xMNNFFPPSL} before. */
    long OpenSSL_version_num();

    // Contexts.
    long TLS_server_method();

    long TLS_client_method();

    long SSL_CTX_new(long method);

    void SSL_CTX_free(long ctx);

    int SSL_CTX_use_certificate(long ctx, long x509);

    int SSL_CTX_use_PrivateKey(long ctx, long pkey);

    int SSL_CTX_check_private_key(long ctx);

    int SSL_CTX_use_certificate_chain_file(long ctx, String file);

    int SSL_CTX_use_PrivateKey_file(long ctx, String file, int type);

    int SSL_CTX_set_session_id_context(long ctx, byte[] context);

    long SSL_CTX_set_options(long ctx, long options);

    long SSL_CTX_set_timeout(long ctx, long seconds);

    long SSL_CTX_get_timeout(long ctx);

    long SSL_CTX_get_cert_store(long ctx);

    int X509_STORE_add_cert(long store, long x509);

    /** SSL_CTX_set_verify with no callback, or with one that accepts any certificate. */
    void SSL_CTX_set_verify(long ctx, int mode, boolean acceptAnyCertificate);

    long SSL_CTX_set_session_cache_mode(long ctx, long mode);

    long SSL_CTX_set_min_proto_version(long ctx, int version);

    long SSL_CTX_set_max_proto_version(long ctx, int version);

    /** {@code keys} is OpenSSL's 80-byte built-in key block: name, HMAC key, AES key. */
    long SSL_CTX_set_tlsext_ticket_keys(long ctx, byte[] keys);

    // Connections.
    long SSL_new(long ctx);

    void SSL_free(long ssl);

    /**
     * Moves {@code ssl} to {@code ctx}, as a server's servername or client_hello callback does for a virtual host;
     * OpenSSL keeps running the ticket callbacks of the context the connection was made on. Returns {@code ctx},
     * or 0 on failure.
     */
    long SSL_set_SSL_CTX(long ssl, long ctx);

    void SSL_set_bio(long ssl, long readBio, long writeBio);

    void SSL_set_connect_state(long ssl);

    void SSL_set_accept_state(long ssl);

    int SSL_do_handshake(long ssl);

    int SSL_get_error(long ssl, int result);

    /** SSL_read into {@code buffer[offset..offset+length)}. */
    int SSL_read(long ssl, byte[] buffer, int offset, int length);

    /** SSL_write of {@code buffer[offset..offset+length)}. */
    int SSL_write(long ssl, byte[] buffer, int offset, int length);

    /**
     * SSL_read_early_data into {@code buffer[0..length)} on a server connection before its handshake; the bytes
     * read go to {@code readBytes[0]}. Returns SSL_READ_EARLY_DATA_ERROR, _SUCCESS or _FINISH.
     */
    int SSL_read_early_data(long ssl, byte[] buffer, int length, long[] readBytes);

    int SSL_get_early_data_status(long ssl);

    /**
     * SSL_write_early_data of {@code buffer[0..length)} on a client connection before its handshake; the bytes
     * written go to {@code written[0]}. 1 on success.
     */
    int SSL_write_early_data(long ssl, byte[] buffer, int length, long[] written);

    /** SSL_SESSION_get_max_early_data: how much early data the session's ticket allows, 0 for none. */
    long SSL_SESSION_get_max_early_data(long session);

    int SSL_shutdown(long ssl);

    int SSL_set_session(long ssl, long session);

    int SSL_session_reused(long ssl);

    int SSL_version(long ssl);

    long SSL_get1_session(long ssl);

    /**
     * The peer's certificate, not a new reference (NULL when there is none). OpenSSL 1.1.1 lacks it: there, the same
     * pointer is the peer of the connection's session ({@code SSL_SESSION_get0_peer(SSL_get_session(ssl))}).
     */
    long SSL_get0_peer_certificate(long ssl);

    long SSL_set_tlsext_host_name(long ssl, String hostName);

    // Sessions.
    int SSL_SESSION_has_ticket(long session);

    /** SSL_SESSION_get0_ticket: the ticket's bytes, empty when there is none. */
    byte[] SSL_SESSION_get0_ticket(long session);

    /** SSL_SESSION_get_id: the session id's bytes. */
    byte[] SSL_SESSION_get_id(long session);

    int SSL_SESSION_set1_id(long session, byte[] id);

    long SSL_SESSION_get_ticket_lifetime_hint(long session);

    int SSL_SESSION_is_resumable(long session);

    void SSL_SESSION_free(long session);

    // BIOs.
    /** BIO_new_bio_pair with default buffer sizes: the two ends, or null when it failed. */
    long[] BIO_new_bio_pair();

    /** BIO_read into {@code buffer[offset..offset+length)}. */
    int BIO_read(long bio, byte[] buffer, int offset, int length);

    /** BIO_write of {@code buffer[offset..offset+length)}. */
    int BIO_write(long bio, byte[] buffer, int offset, int length);

    long BIO_ctrl_pending(long bio);

    long BIO_ctrl_get_write_guarantee(long bio);

    long BIO_new_file(String file, String mode);

    int BIO_free(long bio);

    int PEM_write_bio_X509(long bio, long x509);

    /** PEM_write_bio_PrivateKey, unencrypted (PKCS#8). */
    int PEM_write_bio_PrivateKey(long bio, long pkey);

    // Keys and certificates.
    /**
     * A new P-256 key pair (EVP_PKEY), or 0 when generation failed: on 3.x by the group's name
     * ({@code EVP_PKEY_CTX_new_from_name}, {@code EVP_PKEY_CTX_set_group_name}, {@code EVP_PKEY_generate}, which 1.1.1
     * lacks), on 1.1.1 by the curve's NID ({@code EVP_PKEY_CTX_new_id}, the {@code EVP_PKEY_CTX_ctrl} that 1.1.1's
     * macro {@code EVP_PKEY_CTX_set_ec_paramgen_curve_nid} stands for, {@code EVP_PKEY_keygen}).
     */
    long generateP256Key();

    void EVP_PKEY_free(long pkey);

    long EVP_sha256();

    long X509_new();

    void X509_free(long x509);

    int X509_set_version(long x509, long version);

    long X509_get_serialNumber(long x509);

    int ASN1_INTEGER_set(long integer, long value);

    long X509_getm_notBefore(long x509);

    long X509_getm_notAfter(long x509);

    long X509_gmtime_adj(long time, long seconds);

    int X509_set_pubkey(long x509, long pkey);

    long X509_get_subject_name(long x509);

    int X509_NAME_add_entry_by_txt(long name, String field, int type, String value);

    int X509_set_issuer_name(long x509, long name);

    int X509_sign(long x509, long pkey, long md);

    /** i2d_X509: the certificate's DER encoding, or null when it failed. */
    byte[] i2d_X509(long x509);

    /** X509_digest with {@code md}: the digest, or null when it failed. */
    byte[] X509_digest(long x509, long md);

    // Errors.
    long ERR_get_error();

    /** ERR_error_string_n: the text of {@code code}. */
    String ERR_error_string_n(long code);
}
