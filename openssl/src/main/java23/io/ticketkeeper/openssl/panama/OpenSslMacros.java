package io.ticketkeeper.openssl.panama;

import static io.ticketkeeper.openssl.ffm.OpenSsl.EVP_PKEY_CTRL_EC_PARAMGEN_CURVE_NID;
import static io.ticketkeeper.openssl.ffm.OpenSsl.EVP_PKEY_CTX_ctrl;
import static io.ticketkeeper.openssl.ffm.OpenSsl.EVP_PKEY_EC;
import static io.ticketkeeper.openssl.ffm.OpenSsl.EVP_PKEY_OP_KEYGEN;
import static io.ticketkeeper.openssl.ffm.OpenSsl.EVP_PKEY_OP_PARAMGEN;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_CTRL_SET_MAX_PROTO_VERSION;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_CTRL_SET_MIN_PROTO_VERSION;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_CTRL_SET_SESS_CACHE_MODE;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_CTRL_SET_TLSEXT_HOSTNAME;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_CTRL_SET_TLSEXT_TICKET_KEYS;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_CTX_ctrl;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_ctrl;
import static io.ticketkeeper.openssl.ffm.OpenSsl.TLSEXT_NAMETYPE_host_name;

import java.lang.foreign.MemorySegment;

/**
 * OpenSSL's "functions" that are macros over {@code SSL_CTX_ctrl} and {@code SSL_ctrl}, which jextract cannot
 * generate. Each mirrors the macro of the same name in {@code <openssl/ssl.h>} (or, where 3.0 made the macro a
 * function, OpenSSL 1.1.1's {@code <openssl/ec.h>}) and returns what it returns.
 */
public final class OpenSslMacros {
    private OpenSslMacros() {
    }

    public static long SSL_CTX_set_min_proto_version(MemorySegment ctx, int version) {
        return SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION(), version, MemorySegment.NULL);
    }

    public static long SSL_CTX_set_max_proto_version(MemorySegment ctx, int version) {
        return SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION(), version, MemorySegment.NULL);
    }

    public static long SSL_CTX_set_session_cache_mode(MemorySegment ctx, int mode) {
        return SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE(), mode, MemorySegment.NULL);
    }

    /** {@code keys} holds 80 bytes: OpenSSL's built-in name, HMAC and AES keys. */
    public static long SSL_CTX_set_tlsext_ticket_keys(MemorySegment ctx, MemorySegment keys) {
        return SSL_CTX_ctrl(ctx, SSL_CTRL_SET_TLSEXT_TICKET_KEYS(), keys.byteSize(), keys);
    }

    /** OpenSSL 1.1.1's macro, for 1.1.1 (3.0 made it a function, which 1.1.1's library does not have). */
    public static int EVP_PKEY_CTX_set_ec_paramgen_curve_nid(MemorySegment ctx, int nid) {
        return EVP_PKEY_CTX_ctrl(ctx, EVP_PKEY_EC(), EVP_PKEY_OP_PARAMGEN() | EVP_PKEY_OP_KEYGEN(),
                EVP_PKEY_CTRL_EC_PARAMGEN_CURVE_NID(), nid, MemorySegment.NULL);
    }

    /** {@code hostName} is a NUL-terminated string. */
    public static long SSL_set_tlsext_host_name(MemorySegment ssl, MemorySegment hostName) {
        return SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME(), TLSEXT_NAMETYPE_host_name(), hostName);
    }
}
