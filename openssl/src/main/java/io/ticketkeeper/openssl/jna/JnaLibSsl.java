package io.ticketkeeper.openssl.jna;

import io.ticketkeeper.internal.NativeLibrary;
import io.ticketkeeper.openssl.LibSsl;

import com.sun.jna.Callback;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link LibSsl} through JNA's direct mapping, for Java 17 and newer. The functions are registered against the
 * TicketKeeper shim's own library handle, whose symbol lookup reaches the libssl and libcrypto it links: the
 * harness and the library share one OpenSSL. Pointers travel as 64-bit integers (the only platforms the shim is
 * built for are 64-bit). The functions OpenSSL 3 added are bound apart ({@link Natives3}), only when the loaded
 * OpenSSL is 3.x: JNA binds a class's functions all at once, and 1.1.1 lacks them.
 */
public final class JnaLibSsl implements LibSsl {
    /** Accepts any client certificate: a test responder asks for one to show it, not to authenticate anyone. */
    private static final VerifyCallback ACCEPT_ANY = (preverified, store) -> 1;

    /** SSL_CTX_set_verify's callback: {@code int (*)(int, X509_STORE_CTX *)}. */
    public interface VerifyCallback extends Callback {
        int invoke(int preverified, long store);
    }

    /** The C functions of OpenSSL 1.1.1 and 3.x, bound once by {@link Native#register}. */
    static final class Natives {
        static {
            Native.register(Natives.class, shim());
        }

        private Natives() {
        }

        static native long OpenSSL_version_num();

        static native long TLS_server_method();

        static native long TLS_client_method();

        static native long SSL_CTX_new(long method);

        static native void SSL_CTX_free(long ctx);

        static native int SSL_CTX_use_certificate(long ctx, long x509);

        static native int SSL_CTX_use_PrivateKey(long ctx, long pkey);

        static native int SSL_CTX_check_private_key(long ctx);

        static native int SSL_CTX_use_certificate_chain_file(long ctx, String file);

        static native int SSL_CTX_use_PrivateKey_file(long ctx, String file, int type);

        static native int SSL_CTX_set_session_id_context(long ctx, byte[] context, int length);

        static native long SSL_CTX_set_options(long ctx, long options);

        static native long SSL_CTX_set_timeout(long ctx, long seconds);

        static native long SSL_CTX_get_timeout(long ctx);

        static native long SSL_CTX_get_cert_store(long ctx);

        static native int X509_STORE_add_cert(long store, long x509);

        static native void SSL_CTX_set_verify(long ctx, int mode, VerifyCallback callback);

        static native long SSL_CTX_ctrl(long ctx, int command, long larg, long parg);

        static native long SSL_new(long ctx);

        static native void SSL_free(long ssl);

        static native long SSL_set_SSL_CTX(long ssl, long ctx);

        static native void SSL_set_bio(long ssl, long readBio, long writeBio);

        static native void SSL_set_connect_state(long ssl);

        static native void SSL_set_accept_state(long ssl);

        static native int SSL_do_handshake(long ssl);

        static native int SSL_get_error(long ssl, int result);

        static native int SSL_read(long ssl, byte[] buffer, int length);

        static native int SSL_write(long ssl, byte[] buffer, int length);

        static native int SSL_read_early_data(long ssl, byte[] buffer, long length, long[] readBytes);

        static native int SSL_get_early_data_status(long ssl);

        static native int SSL_write_early_data(long ssl, byte[] buffer, long length, long[] written);

        static native int SSL_SESSION_get_max_early_data(long session);

        static native int SSL_shutdown(long ssl);

        static native int SSL_set_session(long ssl, long session);

        static native int SSL_session_reused(long ssl);

        static native int SSL_version(long ssl);

        static native long SSL_get1_session(long ssl);

        static native long SSL_get_session(long ssl);

        static native long SSL_SESSION_get0_peer(long session);

        static native long SSL_ctrl(long ssl, int command, long larg, long parg);

        static native int SSL_SESSION_has_ticket(long session);

        static native void SSL_SESSION_get0_ticket(long session, long[] ticket, long[] length);

        static native long SSL_SESSION_get_id(long session, int[] length);

        static native int SSL_SESSION_set1_id(long session, byte[] id, int length);

        static native long SSL_SESSION_get_ticket_lifetime_hint(long session);

        static native int SSL_SESSION_is_resumable(long session);

        static native void SSL_SESSION_free(long session);

        static native int BIO_new_bio_pair(long[] first, long firstSize, long[] second, long secondSize);

        static native int BIO_read(long bio, byte[] buffer, int length);

        static native int BIO_write(long bio, byte[] buffer, int length);

        static native long BIO_ctrl_pending(long bio);

        static native long BIO_ctrl_get_write_guarantee(long bio);

        static native long BIO_new_file(String file, String mode);

        static native int BIO_free(long bio);

        static native int PEM_write_bio_X509(long bio, long x509);

        static native int PEM_write_bio_PrivateKey(long bio, long pkey, long cipher, long kstr, int klen, long cb,
                long u);

        static native long EVP_PKEY_CTX_new_id(int id, long engine);

        static native int EVP_PKEY_keygen_init(long ctx);

        static native int EVP_PKEY_CTX_ctrl(long ctx, int keyType, int operations, int command, int p1, long p2);

        static native int EVP_PKEY_keygen(long ctx, long[] pkey);

        static native void EVP_PKEY_CTX_free(long ctx);

        static native void EVP_PKEY_free(long pkey);

        static native long EVP_sha256();

        static native long X509_new();

        static native void X509_free(long x509);

        static native int X509_set_version(long x509, long version);

        static native long X509_get_serialNumber(long x509);

        static native int ASN1_INTEGER_set(long integer, long value);

        static native long X509_getm_notBefore(long x509);

        static native long X509_getm_notAfter(long x509);

        static native long X509_gmtime_adj(long time, long seconds);

        static native int X509_set_pubkey(long x509, long pkey);

        static native long X509_get_subject_name(long x509);

        static native int X509_NAME_add_entry_by_txt(long name, String field, int type, String value, int length,
                int location, int set);

        static native int X509_set_issuer_name(long x509, long name);

        static native int X509_sign(long x509, long pkey, long md);

        static native int i2d_X509(long x509, long[] out);

        static native int X509_digest(long x509, long md, byte[] digest, int[] length);

        static native long ERR_get_error();

        static native void ERR_error_string_n(long code, byte[] buffer, long length);
    }

    /** The C functions that OpenSSL 3.0 added, bound on first use (only when the loaded OpenSSL is 3.x). */
    static final class Natives3 {
        static {
            Native.register(Natives3.class, shim());
        }

        private Natives3() {
        }

        static native long SSL_get0_peer_certificate(long ssl);

        static native long EVP_PKEY_CTX_new_from_name(long libctx, String name, long propq);

        static native int EVP_PKEY_CTX_set_group_name(long ctx, String name);

        static native int EVP_PKEY_generate(long ctx, long[] pkey);
    }

    private final boolean openSsl3 = Natives.OpenSSL_version_num() >= OPENSSL_3_0_0;

    private static com.sun.jna.NativeLibrary shim() {
        return com.sun.jna.NativeLibrary.getInstance(NativeLibrary.file().toString());
    }

    @Override
    public String binding() {
        return "jna";
    }

    @Override
    public long OpenSSL_version_num() {
        return Natives.OpenSSL_version_num();
    }

    @Override
    public long TLS_server_method() {
        return Natives.TLS_server_method();
    }

    @Override
    public long TLS_client_method() {
        return Natives.TLS_client_method();
    }

    @Override
    public long SSL_CTX_new(long method) {
        return Natives.SSL_CTX_new(method);
    }

    @Override
    public void SSL_CTX_free(long ctx) {
        Natives.SSL_CTX_free(ctx);
    }

    @Override
    public int SSL_CTX_use_certificate(long ctx, long x509) {
        return Natives.SSL_CTX_use_certificate(ctx, x509);
    }

    @Override
    public int SSL_CTX_use_PrivateKey(long ctx, long pkey) {
        return Natives.SSL_CTX_use_PrivateKey(ctx, pkey);
    }

    @Override
    public int SSL_CTX_check_private_key(long ctx) {
        return Natives.SSL_CTX_check_private_key(ctx);
    }

    @Override
    public int SSL_CTX_use_certificate_chain_file(long ctx, String file) {
        return Natives.SSL_CTX_use_certificate_chain_file(ctx, file);
    }

    @Override
    public int SSL_CTX_use_PrivateKey_file(long ctx, String file, int type) {
        return Natives.SSL_CTX_use_PrivateKey_file(ctx, file, type);
    }

    @Override
    public int SSL_CTX_set_session_id_context(long ctx, byte[] context) {
        return Natives.SSL_CTX_set_session_id_context(ctx, context, context.length);
    }

    @Override
    public long SSL_CTX_set_options(long ctx, long options) {
        return Natives.SSL_CTX_set_options(ctx, options);
    }

    @Override
    public long SSL_CTX_set_timeout(long ctx, long seconds) {
        return Natives.SSL_CTX_set_timeout(ctx, seconds);
    }

    @Override
    public long SSL_CTX_get_timeout(long ctx) {
        return Natives.SSL_CTX_get_timeout(ctx);
    }

    @Override
    public long SSL_CTX_get_cert_store(long ctx) {
        return Natives.SSL_CTX_get_cert_store(ctx);
    }

    @Override
    public int X509_STORE_add_cert(long store, long x509) {
        return Natives.X509_STORE_add_cert(store, x509);
    }

    @Override
    public void SSL_CTX_set_verify(long ctx, int mode, boolean acceptAnyCertificate) {
        Natives.SSL_CTX_set_verify(ctx, mode, acceptAnyCertificate ? ACCEPT_ANY : null);
    }

    @Override
    public long SSL_CTX_set_session_cache_mode(long ctx, long mode) {
        return Natives.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, mode, 0);
    }

    @Override
    public long SSL_CTX_set_min_proto_version(long ctx, int version) {
        return Natives.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, version, 0);
    }

    @Override
    public long SSL_CTX_set_max_proto_version(long ctx, int version) {
        return Natives.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, version, 0);
    }

    @Override
    public long SSL_CTX_set_tlsext_ticket_keys(long ctx, byte[] keys) {
        try (Memory block = new Memory(keys.length)) {
            block.write(0, keys, 0, keys.length);
            try {
                return Natives.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_TLSEXT_TICKET_KEYS, keys.length,
                        Pointer.nativeValue(block));
            } finally {
                block.clear();
            }
        }
    }

    @Override
    public long SSL_new(long ctx) {
        return Natives.SSL_new(ctx);
    }

    @Override
    public void SSL_free(long ssl) {
        Natives.SSL_free(ssl);
    }

    @Override
    public long SSL_set_SSL_CTX(long ssl, long ctx) {
        return Natives.SSL_set_SSL_CTX(ssl, ctx);
    }

    @Override
    public void SSL_set_bio(long ssl, long readBio, long writeBio) {
        Natives.SSL_set_bio(ssl, readBio, writeBio);
    }

    @Override
    public void SSL_set_connect_state(long ssl) {
        Natives.SSL_set_connect_state(ssl);
    }

    @Override
    public void SSL_set_accept_state(long ssl) {
        Natives.SSL_set_accept_state(ssl);
    }

    @Override
    public int SSL_do_handshake(long ssl) {
        return Natives.SSL_do_handshake(ssl);
    }

    @Override
    public int SSL_get_error(long ssl, int result) {
        return Natives.SSL_get_error(ssl, result);
    }

    @Override
    public int SSL_read(long ssl, byte[] buffer, int offset, int length) {
        if (offset == 0) {
            return Natives.SSL_read(ssl, buffer, length);
        }
        byte[] part = new byte[length];
        int read = Natives.SSL_read(ssl, part, length);
        if (read > 0) {
            System.arraycopy(part, 0, buffer, offset, read);
        }
        return read;
    }

    @Override
    public int SSL_write(long ssl, byte[] buffer, int offset, int length) {
        byte[] part = offset == 0 ? buffer : Arrays.copyOfRange(buffer, offset, offset + length);
        return Natives.SSL_write(ssl, part, length);
    }

    @Override
    public int SSL_read_early_data(long ssl, byte[] buffer, int length, long[] readBytes) {
        return Natives.SSL_read_early_data(ssl, buffer, length, readBytes);
    }

    @Override
    public int SSL_write_early_data(long ssl, byte[] buffer, int length, long[] written) {
        return Natives.SSL_write_early_data(ssl, buffer, length, written);
    }

    @Override
    public long SSL_SESSION_get_max_early_data(long session) {
        return Integer.toUnsignedLong(Natives.SSL_SESSION_get_max_early_data(session));
    }

    @Override
    public int SSL_get_early_data_status(long ssl) {
        return Natives.SSL_get_early_data_status(ssl);
    }

    @Override
    public int SSL_shutdown(long ssl) {
        return Natives.SSL_shutdown(ssl);
    }

    @Override
    public int SSL_set_session(long ssl, long session) {
        return Natives.SSL_set_session(ssl, session);
    }

    @Override
    public int SSL_session_reused(long ssl) {
        return Natives.SSL_session_reused(ssl);
    }

    @Override
    public int SSL_version(long ssl) {
        return Natives.SSL_version(ssl);
    }

    @Override
    public long SSL_get1_session(long ssl) {
        return Natives.SSL_get1_session(ssl);
    }

    @Override
    public long SSL_get0_peer_certificate(long ssl) {
        if (openSsl3) {
            return Natives3.SSL_get0_peer_certificate(ssl);
        }
        long session = Natives.SSL_get_session(ssl);
        return session == 0 ? 0 : Natives.SSL_SESSION_get0_peer(session);
    }

    @Override
    public long SSL_set_tlsext_host_name(long ssl, String hostName) {
        byte[] name = hostName.getBytes(StandardCharsets.US_ASCII);
        try (Memory text = new Memory(name.length + 1)) {
            text.write(0, name, 0, name.length);
            text.setByte(name.length, (byte) 0);
            return Natives.SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_HOST_NAME,
                    Pointer.nativeValue(text));
        }
    }

    @Override
    public int SSL_SESSION_has_ticket(long session) {
        return Natives.SSL_SESSION_has_ticket(session);
    }

    @Override
    public byte[] SSL_SESSION_get0_ticket(long session) {
        long[] ticket = new long[1];
        long[] length = new long[1];
        Natives.SSL_SESSION_get0_ticket(session, ticket, length);
        return ticket[0] == 0 ? new byte[0] : new Pointer(ticket[0]).getByteArray(0, (int) length[0]);
    }

    @Override
    public byte[] SSL_SESSION_get_id(long session) {
        int[] length = new int[1];
        long id = Natives.SSL_SESSION_get_id(session, length);
        return id == 0 ? new byte[0] : new Pointer(id).getByteArray(0, length[0]);
    }

    @Override
    public int SSL_SESSION_set1_id(long session, byte[] id) {
        return Natives.SSL_SESSION_set1_id(session, id, id.length);
    }

    @Override
    public long SSL_SESSION_get_ticket_lifetime_hint(long session) {
        return Natives.SSL_SESSION_get_ticket_lifetime_hint(session);
    }

    @Override
    public int SSL_SESSION_is_resumable(long session) {
        return Natives.SSL_SESSION_is_resumable(session);
    }

    @Override
    public void SSL_SESSION_free(long session) {
        Natives.SSL_SESSION_free(session);
    }

    @Override
    public long[] BIO_new_bio_pair() {
        long[] first = new long[1];
        long[] second = new long[1];
        return Natives.BIO_new_bio_pair(first, 0, second, 0) == 1 ? new long[] {first[0], second[0]} : null;
    }

    @Override
    public int BIO_read(long bio, byte[] buffer, int offset, int length) {
        if (offset == 0) {
            return Natives.BIO_read(bio, buffer, length);
        }
        byte[] part = new byte[length];
        int read = Natives.BIO_read(bio, part, length);
        if (read > 0) {
            System.arraycopy(part, 0, buffer, offset, read);
        }
        return read;
    }

    @Override
    public int BIO_write(long bio, byte[] buffer, int offset, int length) {
        byte[] part = offset == 0 ? buffer : Arrays.copyOfRange(buffer, offset, offset + length);
        return Natives.BIO_write(bio, part, length);
    }

    @Override
    public long BIO_ctrl_pending(long bio) {
        return Natives.BIO_ctrl_pending(bio);
    }

    @Override
    public long BIO_ctrl_get_write_guarantee(long bio) {
        return Natives.BIO_ctrl_get_write_guarantee(bio);
    }

    @Override
    public long BIO_new_file(String file, String mode) {
        return Natives.BIO_new_file(file, mode);
    }

    @Override
    public int BIO_free(long bio) {
        return Natives.BIO_free(bio);
    }

    @Override
    public int PEM_write_bio_X509(long bio, long x509) {
        return Natives.PEM_write_bio_X509(bio, x509);
    }

    @Override
    public int PEM_write_bio_PrivateKey(long bio, long pkey) {
        return Natives.PEM_write_bio_PrivateKey(bio, pkey, 0, 0, 0, 0, 0);
    }

    @Override
    public long generateP256Key() {
        long ctx = openSsl3 ? Natives3.EVP_PKEY_CTX_new_from_name(0, "EC", 0)
                : Natives.EVP_PKEY_CTX_new_id(EVP_PKEY_EC, 0);
        if (ctx == 0) {
            return 0;
        }
        try {
            long[] key = new long[1];
            if (Natives.EVP_PKEY_keygen_init(ctx) != 1) {
                return 0;
            }
            boolean made = openSsl3 ? generateP256Key3(ctx, key) : generateP256Key11(ctx, key);
            return made ? key[0] : 0;
        } finally {
            Natives.EVP_PKEY_CTX_free(ctx);
        }
    }

    private static boolean generateP256Key3(long ctx, long[] key) {
        return Natives3.EVP_PKEY_CTX_set_group_name(ctx, "P-256") == 1 && Natives3.EVP_PKEY_generate(ctx, key) == 1;
    }

    /* 1.1.1's EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) is this EVP_PKEY_CTX_ctrl. */
    private static boolean generateP256Key11(long ctx, long[] key) {
        return Natives.EVP_PKEY_CTX_ctrl(ctx, EVP_PKEY_EC, EVP_PKEY_OP_PARAMGEN | EVP_PKEY_OP_KEYGEN,
                EVP_PKEY_CTRL_EC_PARAMGEN_CURVE_NID, NID_X9_62_prime256v1, 0) > 0
                && Natives.EVP_PKEY_keygen(ctx, key) == 1;
    }

    @Override
    public void EVP_PKEY_free(long pkey) {
        Natives.EVP_PKEY_free(pkey);
    }

    @Override
    public long EVP_sha256() {
        return Natives.EVP_sha256();
    }

    @Override
    public long X509_new() {
        return Natives.X509_new();
    }

    @Override
    public void X509_free(long x509) {
        Natives.X509_free(x509);
    }

    @Override
    public int X509_set_version(long x509, long version) {
        return Natives.X509_set_version(x509, version);
    }

    @Override
    public long X509_get_serialNumber(long x509) {
        return Natives.X509_get_serialNumber(x509);
    }

    @Override
    public int ASN1_INTEGER_set(long integer, long value) {
        return Natives.ASN1_INTEGER_set(integer, value);
    }

    @Override
    public long X509_getm_notBefore(long x509) {
        return Natives.X509_getm_notBefore(x509);
    }

    @Override
    public long X509_getm_notAfter(long x509) {
        return Natives.X509_getm_notAfter(x509);
    }

    @Override
    public long X509_gmtime_adj(long time, long seconds) {
        return Natives.X509_gmtime_adj(time, seconds);
    }

    @Override
    public int X509_set_pubkey(long x509, long pkey) {
        return Natives.X509_set_pubkey(x509, pkey);
    }

    @Override
    public long X509_get_subject_name(long x509) {
        return Natives.X509_get_subject_name(x509);
    }

    @Override
    public int X509_NAME_add_entry_by_txt(long name, String field, int type, String value) {
        return Natives.X509_NAME_add_entry_by_txt(name, field, type, value, -1, -1, 0);
    }

    @Override
    public int X509_set_issuer_name(long x509, long name) {
        return Natives.X509_set_issuer_name(x509, name);
    }

    @Override
    public int X509_sign(long x509, long pkey, long md) {
        return Natives.X509_sign(x509, pkey, md);
    }

    @Override
    public byte[] i2d_X509(long x509) {
        int length = Natives.i2d_X509(x509, null);
        if (length <= 0) {
            return null;
        }
        try (Memory buffer = new Memory(length)) {
            long[] cursor = {Pointer.nativeValue(buffer)};
            return Natives.i2d_X509(x509, cursor) == length ? buffer.getByteArray(0, length) : null;
        }
    }

    @Override
    public byte[] X509_digest(long x509, long md) {
        byte[] digest = new byte[64];
        int[] length = new int[1];
        return Natives.X509_digest(x509, md, digest, length) == 1 ? Arrays.copyOf(digest, length[0]) : null;
    }

    @Override
    public long ERR_get_error() {
        return Natives.ERR_get_error();
    }

    @Override
    public String ERR_error_string_n(long code) {
        byte[] text = new byte[256];
        Natives.ERR_error_string_n(code, text, text.length);
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.US_ASCII);
    }
}
