package io.ticketkeeper.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The libcrypto calls of a ticket's crypto set-up, bound by hand for {@link CryptoSetupBenchmark} only, so that
 * the library's generated bindings do not grow for a benchmark.
 */
final class LibCrypto {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup CRYPTO = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());

    static final MethodHandle RAND_BYTES = bind("RAND_bytes", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle EVP_CIPHER_FETCH = bind("EVP_CIPHER_fetch",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle EVP_CIPHER_FREE = bind("EVP_CIPHER_free", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle EVP_CIPHER_CTX_NEW = bind("EVP_CIPHER_CTX_new", FunctionDescriptor.of(ADDRESS));
    static final MethodHandle EVP_CIPHER_CTX_FREE = bind("EVP_CIPHER_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle EVP_ENCRYPT_INIT_EX = bind("EVP_EncryptInit_ex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle EVP_DECRYPT_INIT_EX = bind("EVP_DecryptInit_ex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle EVP_MAC_FETCH = bind("EVP_MAC_fetch",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle EVP_MAC_FREE = bind("EVP_MAC_free", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle EVP_MAC_CTX_NEW = bind("EVP_MAC_CTX_new", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle EVP_MAC_CTX_FREE = bind("EVP_MAC_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle EVP_MAC_CTX_SET_PARAMS = bind("EVP_MAC_CTX_set_params",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    /** OSSL_PARAM: key, data_type (padded), data, data_size, return_size. */
    static final long PARAM_SIZE = 40;
    private static final int PARAM_UTF8_STRING = 4;
    private static final int PARAM_OCTET_STRING = 5;
    private static final long PARAM_UNMODIFIED = -1;

    private LibCrypto() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(CRYPTO.findOrThrow(name), descriptor);
    }

    /** The parameters the shim passes to EVP_MAC_CTX_set_params: digest SHA256 and the HMAC key. */
    static MemorySegment hmacParams(Arena arena, MemorySegment hmacKey) {
        MemorySegment params = arena.allocate(3 * PARAM_SIZE, 8);
        MemorySegment digest = arena.allocateFrom("SHA256");
        param(params, 0, arena.allocateFrom("digest"), PARAM_UTF8_STRING, digest, digest.byteSize() - 1);
        param(params, 1, arena.allocateFrom("key"), PARAM_OCTET_STRING, hmacKey, hmacKey.byteSize());
        return params; // the third stays zero: the end marker
    }

    private static void param(MemorySegment params, int index, MemorySegment key, int type, MemorySegment data,
            long size) {
        MemorySegment param = params.asSlice(index * PARAM_SIZE, PARAM_SIZE);
        param.set(ADDRESS, 0, key);
        param.set(JAVA_INT, 8, type);
        param.set(ADDRESS, 16, data);
        param.set(java.lang.foreign.ValueLayout.JAVA_LONG, 24, size);
        param.set(java.lang.foreign.ValueLayout.JAVA_LONG, 32, PARAM_UNMODIFIED);
    }
}
