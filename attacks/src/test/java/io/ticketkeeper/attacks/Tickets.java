package io.ticketkeeper.attacks;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RFC 5077 ticket layout that OpenSSL's ticket key callback produces and TicketKeeper's keys seal: key name 16 |
 * IV 16 | AES-256-CBC ciphertext (PKCS#7 padded) | HMAC-SHA256 32 over everything before it. With a key in the
 * 80-byte layout (name 16 | HMAC key 32 | AES key 32: OpenSSL's and nginx's), a test can open a ticket and seal its
 * plaintext again: under the server's own key (a control that must resume), or under keys the server does not hold.
 */
final class Tickets {
    static final int NAME = 16;
    static final int IV = 16;
    static final int BLOCK = 16;
    static final int MAC = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tickets() {
    }

    /** A ticket key in the 80-byte layout: name | HMAC key | AES key. */
    record Key(byte[] name, byte[] hmacKey, byte[] aesKey) {
        static Key of(byte[] file) {
            if (file.length != 80) {
                throw new IllegalArgumentException("an 80-byte key, not " + file.length);
            }
            return new Key(Arrays.copyOfRange(file, 0, 16), Arrays.copyOfRange(file, 16, 48),
                    Arrays.copyOfRange(file, 48, 80));
        }

        /** A key made of one pattern repeated over all 80 bytes (all-zero, DEADBEEF, ...). */
        static Key repeating(byte... pattern) {
            byte[] file = new byte[80];
            for (int i = 0; i < file.length; i++) {
                file[i] = pattern[i % pattern.length];
            }
            return of(file);
        }

        Key withName(byte[] otherName) {
            return new Key(otherName.clone(), hmacKey, aesKey);
        }

        byte[] file() {
            byte[] file = new byte[80];
            System.arraycopy(name, 0, file, 0, 16);
            System.arraycopy(hmacKey, 0, file, 16, 32);
            System.arraycopy(aesKey, 0, file, 48, 32);
            return file;
        }
    }

    static byte[] name(byte[] ticket) {
        return Arrays.copyOfRange(ticket, 0, NAME);
    }

    static int ciphertextLength(byte[] ticket) {
        return ticket.length - NAME - IV - MAC;
    }

    /** The plaintext (the serialized session) of {@code ticket}, after checking its MAC under {@code key}. */
    static byte[] open(Key key, byte[] ticket) throws GeneralSecurityException {
        byte[] mac = hmac(key, ticket, ticket.length - MAC);
        if (!Arrays.equals(mac, Arrays.copyOfRange(ticket, ticket.length - MAC, ticket.length))) {
            throw new GeneralSecurityException("the ticket's MAC does not match the key");
        }
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.aesKey(), "AES"),
                new IvParameterSpec(ticket, NAME, IV));
        return cipher.doFinal(ticket, NAME + IV, ciphertextLength(ticket));
    }

    /** {@code plaintext} sealed under {@code key} with a fresh IV, as OpenSSL seals a ticket. */
    static byte[] seal(Key key, byte[] plaintext) throws GeneralSecurityException {
        byte[] iv = new byte[IV];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.aesKey(), "AES"), new IvParameterSpec(iv));
        return withMac(key, concat(key.name(), iv, cipher.doFinal(plaintext)));
    }

    /**
     * Raw ciphertext blocks sealed under {@code key} without padding, with a valid MAC: lets a test give the server
     * a ticket whose MAC checks but whose last block decrypts to bad padding.
     */
    static byte[] sealRaw(Key key, byte[] paddedPlaintext) throws GeneralSecurityException {
        byte[] iv = new byte[IV];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.aesKey(), "AES"), new IvParameterSpec(iv));
        return withMac(key, concat(key.name(), iv, cipher.doFinal(paddedPlaintext)));
    }

    /** {@code nameIvCiphertext} followed by its HMAC under {@code key}. */
    static byte[] withMac(Key key, byte[] nameIvCiphertext) throws GeneralSecurityException {
        return concat(nameIvCiphertext, hmac(key, nameIvCiphertext, nameIvCiphertext.length));
    }

    /** The ticket with its MAC recomputed under {@code key} (after a change to its body). */
    static byte[] remac(Key key, byte[] ticket) throws GeneralSecurityException {
        return withMac(key, Arrays.copyOf(ticket, ticket.length - MAC));
    }

    static byte[] flip(byte[] ticket, int index, int bit) {
        byte[] copy = ticket.clone();
        copy[index] ^= (byte) (1 << bit);
        return copy;
    }

    static byte[] xor(byte[] ticket, int index, int value) {
        byte[] copy = ticket.clone();
        copy[index] ^= (byte) value;
        return copy;
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static byte[] hmac(Key key, byte[] data, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.hmacKey(), "HmacSHA256"));
        mac.update(data, 0, length);
        return mac.doFinal();
    }
}
