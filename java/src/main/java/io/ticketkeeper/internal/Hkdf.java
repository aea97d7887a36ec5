package io.ticketkeeper.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): extract, then expand. Java 17 has no KDF API (it came in Java 25), and a
 * dozen lines of HMAC are easier to check than a dependency. The JCE's HMAC holds its key on the heap while it runs.
 */
public final class Hkdf {
    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    /**
     * {@code length} bytes (at most 255 * 32) of HKDF-SHA256 over {@code ikm} with {@code salt} and {@code info}.
     * The caller wipes {@code ikm} and the result; the intermediate key is wiped here.
     */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 gives 1 to 8160 bytes, not " + length);
        }
        byte[] prk = hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt, ikm);
        byte[] out = new byte[length];
        byte[] block = new byte[0];
        try {
            for (int counter = 1, done = 0; done < length; counter++) {
                byte[] input = new byte[block.length + info.length + 1];
                System.arraycopy(block, 0, input, 0, block.length);
                System.arraycopy(info, 0, input, block.length, info.length);
                input[input.length - 1] = (byte) counter;
                Arrays.fill(block, (byte) 0);
                block = hmac(prk, input);
                Arrays.fill(input, (byte) 0);
                int take = Math.min(HASH_LENGTH, length - done);
                System.arraycopy(block, 0, out, done, take);
                done += take;
            }
            return out;
        } finally {
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(block, (byte) 0);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no HmacSHA256", e);
        }
    }
}
