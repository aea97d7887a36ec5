package io.ticketkeeper.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property tests without a framework: many inputs from a seeded generator, half of them random and half mutations
 * of valid inputs (flipped, inserted, deleted, truncated or repeated bytes), so that parsers are driven both far
 * from and close to what they accept. A failure names the seed, the case and the input, and the run repeats with
 * {@code -Dticketkeeper.property.seed=N}; {@code -Dticketkeeper.property.cases=N} runs longer.
 */
public final class RandomInputs {
    private static final long SEED = Long.getLong("ticketkeeper.property.seed", 20261128L);
    private static final int CASES = Integer.getInteger("ticketkeeper.property.cases", 3000);

    private final Random random = new Random(SEED);

    /** Checks {@code property} on {@link #CASES} inputs made by {@code input}. */
    public <T> void forAll(Function<RandomInputs, T> input, Consumer<T> property, Function<T, String> show) {
        for (int i = 0; i < CASES; i++) {
            T value = input.apply(this);
            try {
                property.accept(value);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + i + " of seed " + SEED + " failed for " + show.apply(value)
                        + ": " + e, e);
            }
        }
    }

    /** {@link #forAll} for byte inputs, shown in hex. */
    public void forAllBytes(Function<RandomInputs, byte[]> input, Consumer<byte[]> property) {
        forAll(input, property, bytes -> bytes.length + " bytes " + HexFormat.of().formatHex(bytes));
    }

    /** {@link #forAll} for text inputs, shown quoted. */
    public void forAllText(Function<RandomInputs, String> input, Consumer<String> property) {
        forAll(input, property, text -> "'" + text + "'");
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Random bytes, 0 to {@code maxLength} of them. */
    public byte[] bytes(int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Random bytes of exactly {@code length}. */
    public byte[] exactly(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** One of {@code valid}, mutated once or more, or random bytes: half and half. */
    public byte[] nearOrFar(List<byte[]> valid, int maxLength) {
        if (random.nextBoolean()) {
            return bytes(maxLength);
        }
        byte[] input = valid.get(random.nextInt(valid.size())).clone();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            input = mutate(input);
        }
        return input;
    }

    /** {@link #nearOrFar} for text, with mutations that keep to printable ASCII half of the time. */
    public String text(List<String> valid, int maxLength) {
        byte[] bytes = nearOrFar(valid.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList(), maxLength);
        if (random.nextBoolean()) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (' ' + Math.floorMod(bytes[i], 95));
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private byte[] mutate(byte[] input) {
        if (input.length == 0) {
            return exactly(1);
        }
        int at = random.nextInt(input.length);
        switch (random.nextInt(5)) {
            case 0:
                input[at] ^= (byte) (1 << random.nextInt(8));
                return input;
            case 1:
                return Arrays.copyOf(input, at);
            case 2: {
                byte[] longer = Arrays.copyOf(input, input.length + 1);
                System.arraycopy(input, at, longer, at + 1, input.length - at);
                longer[at] = (byte) random.nextInt(256);
                return longer;
            }
            case 3: {
                byte[] shorter = new byte[input.length - 1];
                System.arraycopy(input, 0, shorter, 0, at);
                System.arraycopy(input, at + 1, shorter, at, input.length - at - 1);
                return shorter;
            }
            default: {
                byte[] doubled = Arrays.copyOf(input, input.length * 2);
                System.arraycopy(input, 0, doubled, input.length, input.length);
                return doubled;
            }
        }
    }
}
