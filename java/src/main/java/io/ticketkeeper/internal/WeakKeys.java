package io.ticketkeeper.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Refuses ticket key secrets that an attacker would try first, the way the session ticket scanners of Hebrok et
 * al. (USENIX Security 2023) do: all zero, a repeating pattern of at most {@value #MAX_PERIOD} bytes (DEADBEEF…,
 * 01 01…, 00010203 00010203…), a counting sequence (00 01 02 03…, 00 11 22 33…), very few distinct byte values
 * (fewer than half the secret's length: a random 16-byte secret has so few about once in 10^12, a 32-byte one once in
 * 10^36), or a known default key ({@code default-steks.txt} beside this class). Every path that makes a ticket key
 * ({@code TicketKey.of}: key files, fleet entries, keys handed to the API) and every key generator goes through
 * here. The reasons it gives never show the secret.
 */
public final class WeakKeys {
    /** The longest repeating pattern refused: covers the 4-, 6- and 8-byte patterns of the scanners' lists. */
    public static final int MAX_PERIOD = 8;
    private static final List<byte[]> DEFAULTS = load();

    private WeakKeys() {
    }

    /** Why {@code secret} must not be a ticket key's HMAC or AES secret, or null when nothing is wrong with it. */
    public static String weakness(byte[] secret) {
        String pattern = patternWeakness(secret);
        if (pattern != null) {
            return pattern;
        }
        if (countingStep(secret) != 0) {
            return "is a counting sequence (each byte " + countingStep(secret) + " more than the one before)";
        }
        int distinct = distinct(secret);
        if (distinct * 2 < secret.length) {
            return "has very low entropy (only " + distinct + " distinct byte values in " + secret.length + " bytes)";
        }
        if (isDefault(secret)) {
            return "is a known default session ticket key (TLS-Scanner's list, Hebrok et al., USENIX Security 2023)";
        }
        return null;
    }

    /**
     * Why {@code name} must not be a ticket key's name, or null: all zero or a short repeating pattern, which only a
     * hand-made or default key has (names are not secret, so the entropy rules do not apply to them).
     */
    public static String nameWeakness(byte[] name) {
        return patternWeakness(name);
    }

    private static String patternWeakness(byte[] bytes) {
        int any = 0;
        for (byte b : bytes) {
            any |= b;
        }
        if (any == 0) {
            return "is all zero";
        }
        int period = period(bytes);
        if (period > 0) {
            return "repeats a pattern of " + period + (period == 1 ? " byte" : " bytes")
                    + " (a default or hand-made key)";
        }
        return null;
    }

    /** The shortest period of at most {@link #MAX_PERIOD} bytes that {@code bytes} repeats with, or 0. */
    static int period(byte[] bytes) {
        for (int period = 1; period <= MAX_PERIOD && period < bytes.length; period++) {
            boolean repeats = true;
            for (int i = period; i < bytes.length && repeats; i++) {
                repeats = bytes[i] == bytes[i - period];
            }
            if (repeats) {
                return period;
            }
        }
        return 0;
    }

    /** The step of a counting sequence (each byte the one before plus a constant non-zero step, mod 256), or 0. */
    static int countingStep(byte[] bytes) {
        if (bytes.length < 3) {
            return 0;
        }
        int step = (bytes[1] - bytes[0]) & 0xff;
        for (int i = 2; i < bytes.length; i++) {
            if (((bytes[i] - bytes[i - 1]) & 0xff) != step) {
                return 0;
            }
        }
        return step;
    }

    static int distinct(byte[] bytes) {
        boolean[] seen = new boolean[256];
        int count = 0;
        for (byte b : bytes) {
            if (!seen[b & 0xff]) {
                seen[b & 0xff] = true;
                count++;
            }
        }
        return count;
    }

    private static boolean isDefault(byte[] secret) {
        for (byte[] known : DEFAULTS) {
            int length = Math.min(known.length, secret.length);
            int difference = 0;
            for (int i = 0; i < length; i++) {
                difference |= known[i] ^ secret[i];
            }
            if (difference == 0) {
                return true;
            }
        }
        return false;
    }

    /** The lines of the list, for tests: each as its kind ("fixed", "repeat", "counting") and its values. */
    public static List<String[]> listEntries() {
        List<String[]> entries = new ArrayList<>();
        try (InputStream in = WeakKeys.class.getResourceAsStream("default-steks.txt")) {
            if (in == null) {
                throw new IllegalStateException("default-steks.txt is missing beside " + WeakKeys.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    entries.add(entry.split("\\s+"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read default-steks.txt", e);
        }
        return entries;
    }

    private static List<byte[]> load() {
        List<byte[]> fixed = new ArrayList<>();
        for (String[] entry : listEntries()) {
            if (entry[0].equals("fixed")) {
                fixed.add(HexFormat.of().parseHex(entry[1]));
            }
        }
        return List.copyOf(fixed);
    }
}
