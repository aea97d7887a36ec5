package io.ticketkeeper.openssl.panama;

import io.ticketkeeper.openssl.LibSsl;
import io.ticketkeeper.openssl.ffm.OpenSsl;
import io.ticketkeeper.openssl.ffm.SSL_CTX_set_verify$callback;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * {@link LibSsl} through jextract's Panama bindings ({@link OpenSsl}, generated) and the macro wrappers beside
 * them ({@link OpenSslMacros}), for Java 23 and newer. The generated bindings find OpenSSL through the symbols of
 * the libraries this class loader loaded: the TicketKeeper shim and the libssl it links. A generated function is
 * looked up on its first call, so the ones OpenSSL 3 added are called only when the loaded OpenSSL is 3.x.
 */
public final class PanamaLibSsl implements LibSsl {
    /** Accepts any client certificate: a test responder asks for one to show it, not to authenticate anyone. */
    private static final MemorySegment ACCEPT_ANY =
            SSL_CTX_set_verify$callback.allocate((preverified, store) -> 1, Arena.global());

    private final boolean openSsl3 = OpenSsl.OpenSSL_version_num() >= OPENSSL_3_0_0;

    private static MemorySegment at(long address) {
        return MemorySegment.ofAddress(address);
    }

    @Override
    public String binding() {
        return "ffm";
    }

    @Override
    public long OpenSSL_version_num() {
        return OpenSsl.OpenSSL_version_num();
    }

    @Override
    public long TLS_server_method() {
        return OpenSsl.TLS_server_method().address();
    }

    @Override
    public long TLS_client_method() {
        return OpenSsl.TLS_client_method().address();
    }

    @Override
    public long SSL_CTX_new(long method) {
        return OpenSsl.SSL_CTX_new(at(method)).address();
    }

    @Override
    public void SSL_CTX_free(long ctx) {
        OpenSsl.SSL_CTX_free(at(ctx));
    }

    @Override
    public int SSL_CTX_use_certificate(long ctx, long x509) {
        return OpenSsl.SSL_CTX_use_certificate(at(ctx), at(x509));
    }

    @Override
    public int SSL_CTX_use_PrivateKey(long ctx, long pkey) {
        return OpenSsl.SSL_CTX_use_PrivateKey(at(ctx), at(pkey));
    }

    @Override
    public int SSL_CTX_check_private_key(long ctx) {
        return OpenSsl.SSL_CTX_check_private_key(at(ctx));
    }

    @Override
    public int SSL_CTX_use_certificate_chain_file(long ctx, String file) {
        try (Arena arena = Arena.ofConfined()) {
            return OpenSsl.SSL_CTX_use_certificate_chain_file(at(ctx), arena.allocateFrom(file));
        }
    }

    @Override
    public int SSL_CTX_use_PrivateKey_file(long ctx, String file, int type) {
        try (Arena arena = Arena.ofConfined()) {
            return OpenSsl.SSL_CTX_use_PrivateKey_file(at(ctx), arena.allocateFrom(file), type);
        }
    }

    @Override
    public int SSL_CTX_set_session_id_context(long ctx, byte[] context) {
        try (Arena arena = Arena.ofConfined()) {
            return OpenSsl.SSL_CTX_set_session_id_context(at(ctx), arena.allocateFrom(ValueLayout.JAVA_BYTE, context),
                    context.length);
        }
    }

    @Override
    public long SSL_CTX_set_options(long ctx, long options) {
        return OpenSsl.SSL_CTX_set_options(at(ctx), options);
    }

    @Override
    public long SSL_CTX_set_timeout(long ctx, long seconds) {
        return OpenSsl.SSL_CTX_set_timeout(at(ctx), seconds);
    }

    @Override
    public long SSL_CTX_get_timeout(long ctx) {
        return OpenSsl.SSL_CTX_get_timeout(at(ctx));
    }

    @Override
    public long SSL_CTX_get_cert_store(long ctx) {
        return OpenSsl.SSL_CTX_get_cert_store(at(ctx)).address();
    }

    @Override
    public int X509_STORE_add_cert(long store, long x509) {
        return OpenSsl.X509_STORE_add_cert(at(store), at(x509));
    }

    @Override
    public void SSL_CTX_set_verify(long ctx, int mode, boolean acceptAnyCertificate) {
        OpenSsl.SSL_CTX_set_verify(at(ctx), mode, acceptAnyCertificate ? ACCEPT_ANY : MemorySegment.NULL);
    }

    @Override
    public long SSL_CTX_set_session_cache_mode(long ctx, long mode) {
        return OpenSslMacros.SSL_CTX_set_session_cache_mode(at(ctx), (int) mode);
    }

    @Override
    public long SSL_CTX_set_min_proto_version(long ctx, int version) {
        return OpenSslMacros.SSL_CTX_set_min_proto_version(at(ctx), version);
    }

    @Override
    public long SSL_CTX_set_max_proto_version(long ctx, int version) {
        return OpenSslMacros.SSL_CTX_set_max_proto_version(at(ctx), version);
    }

    @Override
    public long SSL_CTX_set_tlsext_ticket_keys(long ctx, byte[] keys) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocateFrom(ValueLayout.JAVA_BYTE, keys);
            try {
                return OpenSslMacros.SSL_CTX_set_tlsext_ticket_keys(at(ctx), block);
            } finally {
                block.fill((byte) 0);
            }
        }
    }

    @Override
    public long SSL_new(long ctx) {
        return OpenSsl.SSL_new(at(ctx)).address();
    }

    @Override
    public void SSL_free(long ssl) {
        OpenSsl.SSL_free(at(ssl));
    }

    @Override
    public long SSL_set_SSL_CTX(long ssl, long ctx) {
        return OpenSsl.SSL_set_SSL_CTX(at(ssl), at(ctx)).address();
    }

    @Override
    public void SSL_set_bio(long ssl, long readBio, long writeBio) {
        OpenSsl.SSL_set_bio(at(ssl), at(readBio), at(writeBio));
    }

    @Override
    public void SSL_set_connect_state(long ssl) {
        OpenSsl.SSL_set_connect_state(at(ssl));
    }

    @Override
    public void SSL_set_accept_state(long ssl) {
        OpenSsl.SSL_set_accept_state(at(ssl));
    }

    @Override
    public int SSL_do_handshake(long ssl) {
        return OpenSsl.SSL_do_handshake(at(ssl));
    }

    @Override
    public int SSL_get_error(long ssl, int result) {
        return OpenSsl.SSL_get_error(at(ssl), result);
    }

    @Override
    public int SSL_read(long ssl, byte[] buffer, int offset, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, length));
            int read = OpenSsl.SSL_read(at(ssl), data, length);
            if (read > 0) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, buffer, offset, read);
            }
            return read;
        }
    }

    @Override
    public int SSL_write(long ssl, byte[] buffer, int offset, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, length));
            MemorySegment.copy(buffer, offset, data, ValueLayout.JAVA_BYTE, 0, length);
            return OpenSsl.SSL_write(at(ssl), data, length);
        }
    }

    @Override
    public int SSL_read_early_data(long ssl, byte[] buffer, int length, long[] readBytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, length));
            MemorySegment read = arena.allocate(ValueLayout.JAVA_LONG);
            int result = OpenSsl.SSL_read_early_data(at(ssl), data, length, read);
            long count = read.get(ValueLayout.JAVA_LONG, 0);
            if (count > 0) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) count);
            }
            readBytes[0] = count;
            return result;
        }
    }

    @Override
    public int SSL_write_early_data(long ssl, byte[] buffer, int length, long[] written) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, length));
            MemorySegment.copy(buffer, 0, data, ValueLayout.JAVA_BYTE, 0, length);
            MemorySegment count = arena.allocate(ValueLayout.JAVA_LONG);
            int result = OpenSsl.SSL_write_early_data(at(ssl), data, length, count);
            written[0] = count.get(ValueLayout.JAVA_LONG, 0);
            return result;
        }
    }

    @Override
    public long SSL_SESSION_get_max_early_data(long session) {
        return Integer.toUnsignedLong(OpenSsl.SSL_SESSION_get_max_early_data(at(session)));
    }

    @Override
    public int SSL_get_early_data_status(long ssl) {
        return OpenSsl.SSL_get_early_data_status(at(ssl));
    }

    @Override
    public int SSL_shutdown(long ssl) {
        return OpenSsl.SSL_shutdown(at(ssl));
    }

    @Override
    public int SSL_set_session(long ssl, long session) {
        return OpenSsl.SSL_set_session(at(ssl), at(session));
    }

    @Override
    public int SSL_session_reused(long ssl) {
        return OpenSsl.SSL_session_reused(at(ssl));
    }

    @Override
    public int SSL_version(long ssl) {
        return OpenSsl.SSL_version(at(ssl));
    }

    @Override
    public long SSL_get1_session(long ssl) {
        return OpenSsl.SSL_get1_session(at(ssl)).address();
    }

    @Override
    public long SSL_get0_peer_certificate(long ssl) {
        if (openSsl3) {
            return OpenSsl.SSL_get0_peer_certificate(at(ssl)).address();
        }
        MemorySegment session = OpenSsl.SSL_get_session(at(ssl));
        return session.equals(MemorySegment.NULL) ? 0 : OpenSsl.SSL_SESSION_get0_peer(session).address();
    }

    @Override
    public long SSL_set_tlsext_host_name(long ssl, String hostName) {
        try (Arena arena = Arena.ofConfined()) {
            return OpenSslMacros.SSL_set_tlsext_host_name(at(ssl), arena.allocateFrom(hostName));
        }
    }

    @Override
    public int SSL_SESSION_has_ticket(long session) {
        return OpenSsl.SSL_SESSION_has_ticket(at(session));
    }

    @Override
    public byte[] SSL_SESSION_get0_ticket(long session) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
            OpenSsl.SSL_SESSION_get0_ticket(at(session), data, length);
            MemorySegment ticket = data.get(ValueLayout.ADDRESS, 0);
            long size = length.get(ValueLayout.JAVA_LONG, 0);
            return ticket.equals(MemorySegment.NULL) ? new byte[0]
                    : ticket.reinterpret(size).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public byte[] SSL_SESSION_get_id(long session) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment id = OpenSsl.SSL_SESSION_get_id(at(session), length);
            return id.reinterpret(length.get(ValueLayout.JAVA_INT, 0)).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public int SSL_SESSION_set1_id(long session, byte[] id) {
        try (Arena arena = Arena.ofConfined()) {
            return OpenSsl.SSL_SESSION_set1_id(at(session), arena.allocateFrom(ValueLayout.JAVA_BYTE, id), id.length);
        }
    }

    @Override
    public long SSL_SESSION_get_ticket_lifetime_hint(long session) {
        return OpenSsl.SSL_SESSION_get_ticket_lifetime_hint(at(session));
    }

    @Override
    public int SSL_SESSION_is_resumable(long session) {
        return OpenSsl.SSL_SESSION_is_resumable(at(session));
    }

    @Override
    public void SSL_SESSION_free(long session) {
        OpenSsl.SSL_SESSION_free(at(session));
    }

    @Override
    public long[] BIO_new_bio_pair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment first = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment second = arena.allocate(ValueLayout.ADDRESS);
            if (OpenSsl.BIO_new_bio_pair(first, 0, second, 0) != 1) {
                return null;
            }
            return new long[] {first.get(ValueLayout.ADDRESS, 0).address(), second.get(ValueLayout.ADDRESS, 0).address()};
        }
    }

    @Override
    public int BIO_read(long bio, byte[] buffer, int offset, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, length));
            int read = OpenSsl.BIO_read(at(bio), data, length);
            if (read > 0) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, buffer, offset, read);
            }
            return read;
        }
    }

    @Override
    public int BIO_write(long bio, byte[] buffer, int offset, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, length));
            MemorySegment.copy(buffer, offset, data, ValueLayout.JAVA_BYTE, 0, length);
            return OpenSsl.BIO_write(at(bio), data, length);
        }
    }

    @Override
    public long BIO_ctrl_pending(long bio) {
        return OpenSsl.BIO_ctrl_pending(at(bio));
    }

    @Override
    public long BIO_ctrl_get_write_guarantee(long bio) {
        return OpenSsl.BIO_ctrl_get_write_guarantee(at(bio));
    }

    @Override
    public long BIO_new_file(String file, String mode) {
        try (Arena arena = Arena.ofConfined()) {
            return OpenSsl.BIO_new_file(arena.allocateFrom(file), arena.allocateFrom(mode)).address();
        }
    }

    @Override
    public int BIO_free(long bio) {
        return OpenSsl.BIO_free(at(bio));
    }

    @Override
    public int PEM_write_bio_X509(long bio, long x509) {
        return OpenSsl.PEM_write_bio_X509(at(bio), at(x509));
    }

    @Override
    public int PEM_write_bio_PrivateKey(long bio, long pkey) {
        return OpenSsl.PEM_write_bio_PrivateKey(at(bio), at(pkey), MemorySegment.NULL, MemorySegment.NULL, 0,
                MemorySegment.NULL, MemorySegment.NULL);
    }

    @Override
    public long generateP256Key() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = openSsl3
                    ? OpenSsl.EVP_PKEY_CTX_new_from_name(MemorySegment.NULL, arena.allocateFrom("EC"), MemorySegment.NULL)
                    : OpenSsl.EVP_PKEY_CTX_new_id(EVP_PKEY_EC, MemorySegment.NULL);
            if (ctx.equals(MemorySegment.NULL)) {
                return 0;
            }
            try {
                MemorySegment key = arena.allocate(ValueLayout.ADDRESS);
                if (OpenSsl.EVP_PKEY_keygen_init(ctx) != 1) {
                    return 0;
                }
                boolean made = openSsl3 ? generateP256Key3(ctx, key, arena) : generateP256Key11(ctx, key);
                return made ? key.get(ValueLayout.ADDRESS, 0).address() : 0;
            } finally {
                OpenSsl.EVP_PKEY_CTX_free(ctx);
            }
        }
    }

    private static boolean generateP256Key3(MemorySegment ctx, MemorySegment key, Arena arena) {
        return OpenSsl.EVP_PKEY_CTX_set_group_name(ctx, arena.allocateFrom("P-256")) == 1
                && OpenSsl.EVP_PKEY_generate(ctx, key) == 1;
    }

    private static boolean generateP256Key11(MemorySegment ctx, MemorySegment key) {
        return OpenSslMacros.EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) > 0
                && OpenSsl.EVP_PKEY_keygen(ctx, key) == 1;
    }

    @Override
    public void EVP_PKEY_free(long pkey) {
        OpenSsl.EVP_PKEY_free(at(pkey));
    }

    @Override
    public long EVP_sha256() {
        return OpenSsl.EVP_sha256().address();
    }

    @Override
    public long X509_new() {
        return OpenSsl.X509_new().address();
    }

    @Override
    public void X509_free(long x509) {
        OpenSsl.X509_free(at(x509));
    }

    @Override
    public int X509_set_version(long x509, long version) {
        return OpenSsl.X509_set_version(at(x509), version);
    }

    @Override
    public long X509_get_serialNumber(long x509) {
        return OpenSsl.X509_get_serialNumber(at(x509)).address();
    }

    @Override
    public int ASN1_INTEGER_set(long integer, long value) {
        return OpenSsl.ASN1_INTEGER_set(at(integer), value);
    }

    @Override
    public long X509_getm_notBefore(long x509) {
        return OpenSsl.X509_getm_notBefore(at(x509)).address();
    }

    @Override
    public long X509_getm_notAfter(long x509) {
        return OpenSsl.X509_getm_notAfter(at(x509)).address();
    }

    @Override
    public long X509_gmtime_adj(long time, long seconds) {
        return OpenSsl.X509_gmtime_adj(at(time), seconds).address();
    }

    @Override
    public int X509_set_pubkey(long x509, long pkey) {
        return OpenSsl.X509_set_pubkey(at(x509), at(pkey));
    }

    @Override
    public long X509_get_subject_name(long x509) {
        return OpenSsl.X509_get_subject_name(at(x509)).address();
    }

    @Override
    public int X509_NAME_add_entry_by_txt(long name, String field, int type, String value) {
        try (Arena arena = Arena.ofConfined()) {
            return OpenSsl.X509_NAME_add_entry_by_txt(at(name), arena.allocateFrom(field), type,
                    arena.allocateFrom(value), -1, -1, 0);
        }
    }

    @Override
    public int X509_set_issuer_name(long x509, long name) {
        return OpenSsl.X509_set_issuer_name(at(x509), at(name));
    }

    @Override
    public int X509_sign(long x509, long pkey, long md) {
        return OpenSsl.X509_sign(at(x509), at(pkey), at(md));
    }

    @Override
    public byte[] i2d_X509(long x509) {
        int length = OpenSsl.i2d_X509(at(x509), MemorySegment.NULL);
        if (length <= 0) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(length);
            MemorySegment cursor = arena.allocate(ValueLayout.ADDRESS);
            cursor.set(ValueLayout.ADDRESS, 0, buffer);
            return OpenSsl.i2d_X509(at(x509), cursor) == length ? buffer.toArray(ValueLayout.JAVA_BYTE) : null;
        }
    }

    @Override
    public byte[] X509_digest(long x509, long md) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment digest = arena.allocate(64);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            if (OpenSsl.X509_digest(at(x509), at(md), digest, length) != 1) {
                return null;
            }
            return digest.asSlice(0, length.get(ValueLayout.JAVA_INT, 0)).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public long ERR_get_error() {
        return OpenSsl.ERR_get_error();
    }

    @Override
    public String ERR_error_string_n(long code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(256);
            OpenSsl.ERR_error_string_n(code, text, text.byteSize());
            return text.getString(0, StandardCharsets.US_ASCII);
        }
    }
}
