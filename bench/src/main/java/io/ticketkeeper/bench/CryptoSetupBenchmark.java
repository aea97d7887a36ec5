package io.ticketkeeper.bench;

import static io.ticketkeeper.bench.LibCrypto.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The native half of one ticket key callback, in nanoseconds: the crypto set-up the shim does after the upcall
 * (tk_seal_with: IV, cipher init, HMAC key; tk_open_with: cipher init, HMAC key), and what OpenSSL's built-in
 * ticket keys do for the same ticket, which also fetch AES-256-CBC from the provider every time. Each libcrypto
 * call is one downcall here (about 8 ns each, see TicketCallbackBenchmark.downcallOnly); in the shim they are
 * plain C calls. Added to the upcall's cost, this gives the whole callback.
 */
public class CryptoSetupBenchmark extends NanosecondBenchmark {
    private Arena arena;
    private MemorySegment cipher;
    private MemorySegment cipherName;
    private MemorySegment mac;
    private MemorySegment cipherContext;
    private MemorySegment macContext;
    private MemorySegment aesKey;
    private MemorySegment iv;
    private MemorySegment hmacParams;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        arena = Arena.ofConfined();
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        aesKey = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, secret);
        random.nextBytes(secret);
        hmacParams = hmacParams(arena, arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, secret));
        java.util.Arrays.fill(secret, (byte) 0);
        iv = arena.allocate(16);
        cipherName = arena.allocateFrom("AES-256-CBC");
        cipher = (MemorySegment) EVP_CIPHER_FETCH.invokeExact(MemorySegment.NULL, cipherName, MemorySegment.NULL);
        mac = (MemorySegment) EVP_MAC_FETCH.invokeExact(MemorySegment.NULL, arena.allocateFrom("HMAC"),
                MemorySegment.NULL);
        cipherContext = (MemorySegment) EVP_CIPHER_CTX_NEW.invokeExact();
        macContext = (MemorySegment) EVP_MAC_CTX_NEW.invokeExact(mac);
        if (cipher.address() == 0 || mac.address() == 0 || cipherContext.address() == 0
                || macContext.address() == 0) {
            throw new IllegalStateException("libcrypto could not set up AES-256-CBC and HMAC");
        }
    }

    /** TicketKeeper, enc = 1: the cipher was fetched once when the handle was made. */
    @Benchmark
    public int ticketkeeperSeal() throws Throwable {
        return seal(cipher);
    }

    /** TicketKeeper, enc = 0. */
    @Benchmark
    public int ticketkeeperOpen() throws Throwable {
        return open(cipher);
    }

    /** OpenSSL's built-in keys, sealing: fetch, IV, cipher init, HMAC key, free. */
    @Benchmark
    public int builtinSeal() throws Throwable {
        return builtin(true);
    }

    /** OpenSSL's built-in keys, opening: fetch, cipher init, HMAC key, free. */
    @Benchmark
    public int builtinOpen() throws Throwable {
        return builtin(false);
    }

    private int builtin(boolean sealing) throws Throwable {
        MemorySegment fetched = (MemorySegment) EVP_CIPHER_FETCH.invokeExact(MemorySegment.NULL, cipherName,
                MemorySegment.NULL);
        int result = sealing ? seal(fetched) : open(fetched);
        EVP_CIPHER_FREE.invokeExact(fetched);
        return result;
    }

    private int seal(MemorySegment aes) throws Throwable {
        int ok = (int) RAND_BYTES.invokeExact(iv, 16);
        ok &= (int) EVP_ENCRYPT_INIT_EX.invokeExact(cipherContext, aes, MemorySegment.NULL, aesKey, iv);
        return ok & (int) EVP_MAC_CTX_SET_PARAMS.invokeExact(macContext, hmacParams);
    }

    private int open(MemorySegment aes) throws Throwable {
        int ok = (int) EVP_DECRYPT_INIT_EX.invokeExact(cipherContext, aes, MemorySegment.NULL, aesKey, iv);
        return ok & (int) EVP_MAC_CTX_SET_PARAMS.invokeExact(macContext, hmacParams);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Throwable {
        EVP_MAC_CTX_FREE.invokeExact(macContext);
        EVP_CIPHER_CTX_FREE.invokeExact(cipherContext);
        EVP_MAC_FREE.invokeExact(mac);
        EVP_CIPHER_FREE.invokeExact(cipher);
        hmacParams.fill((byte) 0);
        aesKey.fill((byte) 0);
        arena.close();
    }
}
