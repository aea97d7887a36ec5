package io.ticketkeeper;

import io.ticketkeeper.internal.Durations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Ticket keys read from files in one {@link KeyFileFormat}, reloaded when their content changes.
 *
 * <p>With several binary files, nginx's rule: the key of the first file seals, the keys of the others only open
 * tickets. A {@link KeyFileFormat#HAPROXY} file holds its own order (see there). A key that disappears from the
 * files on reload keeps opening tickets for {@link Builder#retainRemovedFor} (default 12 hours, the default maximum
 * ticket age), so tickets in flight still resume (and are renewed under the new key).
 *
 * <p>A file that cannot be used (unreadable, wrong size, not base64, an all-zero secret, a key name that another
 * file also has) fails the whole load with a {@link KeyFileException} naming the file and the reason; at install
 * that fails the install, on reload the keys in force stay in force and the handle records a
 * {@link KeyEvent.Type#LOAD_FAILED} event.
 */
public final class KeyFiles implements KeySource {
    /** Larger files are refused before they are read: no key file is this large. */
    private static final int MAX_FILE_BYTES = 64 * 1024;

    private final KeyFileFormat format;
    private final List<Path> files;
    private final Duration retainRemovedFor;
    private final Duration checkInterval;

    private KeyFiles(Builder builder) {
        this.format = builder.format;
        this.files = builder.files;
        this.retainRemovedFor = builder.retainRemovedFor;
        this.checkInterval = builder.checkInterval;
    }

    /** {@code files} in {@code format} with the defaults; the first file's key seals. */
    public static KeyFiles of(KeyFileFormat format, Path... files) {
        return builder(format, List.of(files)).build();
    }

    public static Builder builder(KeyFileFormat format, List<Path> files) {
        return new Builder(format, files);
    }

    public KeyFileFormat format() {
        return format;
    }

    public List<Path> files() {
        return files;
    }

    @Override
    public Duration checkInterval() {
        return checkInterval;
    }

    /**
     * Reads and checks the files, without publishing anything: the keys in file order, the sealing one first.
     * The caller owns the keys (and destroys them).
     *
     * @throws KeyFileException naming the file and the reason
     */
    public List<TicketKey> read() {
        List<TicketKey> keys = new ArrayList<>();
        List<Path> origins = new ArrayList<>();
        try {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                byte[] content = readFile(file);
                try {
                    KeyFileFormat.Parsed parsed = format.parse(file, content);
                    List<TicketKey> fileKeys = new ArrayList<>(parsed.keys());
                    // The sealing key goes first: the ring keeps this order among keys of equal schedule.
                    if (parsed.sealing() > 0) {
                        fileKeys.add(0, fileKeys.remove(parsed.sealing()));
                    }
                    for (TicketKey key : fileKeys) {
                        checkUnique(file, key, keys, origins);
                        keys.add(key);
                        origins.add(file);
                    }
                } finally {
                    Arrays.fill(content, (byte) 0);
                }
            }
        } catch (RuntimeException e) {
            keys.forEach(TicketKey::destroy);
            throw e;
        }
        return keys;
    }

    private static void checkUnique(Path file, TicketKey key, List<TicketKey> keys, List<Path> origins) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).sameName(key)) {
                key.destroy();
                throw new KeyFileException(file, "duplicate key: " + key + " has the same name as a key in "
                        + origins.get(i));
            }
        }
    }

    private static byte[] readFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(MAX_FILE_BYTES + 1);
            if (content.length > MAX_FILE_BYTES) {
                Arrays.fill(content, (byte) 0);
                throw new KeyFileException(file, "larger than " + MAX_FILE_BYTES + " bytes, not a key file");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new KeyFileException(file, "unreadable: no such file", e);
        } catch (AccessDeniedException e) {
            throw new KeyFileException(file, "unreadable: permission denied", e);
        } catch (IOException e) {
            throw new KeyFileException(file, "unreadable: " + e, e);
        }
    }

    /**
     * The file keys (the sealing one first, the others opening only) and the keys that left the files, which
     * open tickets for {@code retainRemovedFor} more; {@code current} itself when the files hold what is in force.
     * The instance keeps no state, so handles may share it.
     */
    @Override
    public List<ScheduledKey> refresh(long nowMillis, List<ScheduledKey> current) {
        List<TicketKey> loaded = read();
        List<ScheduledKey> next = ScheduledKey.firstSeals(loaded);
        long retainUntil = saturatedAdd(nowMillis, retainRemovedFor.toMillis());
        for (ScheduledKey old : current) {
            if (!containsName(loaded, old.key()) && old.openUntilMillis() > nowMillis) {
                next.add(old.retiredUntil(retainUntil));
            }
        }
        if (next.equals(current)) {
            loaded.forEach(TicketKey::destroy);
            return current;
        }
        return next;
    }

    private static boolean containsName(List<TicketKey> keys, TicketKey key) {
        for (TicketKey candidate : keys) {
            if (candidate.sameName(key)) {
                return true;
            }
        }
        return false;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyFiles that
                && format.equals(that.format)
                && files.equals(that.files)
                && retainRemovedFor.equals(that.retainRemovedFor)
                && checkInterval.equals(that.checkInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, files, retainRemovedFor, checkInterval);
    }

    @Override
    public String toString() {
        return "KeyFiles{" + format + " " + files + ", retainRemovedFor=" + retainRemovedFor + "}";
    }

    /** Configures {@link KeyFiles}; values are checked as they are set. */
    public static final class Builder {
        private final KeyFileFormat format;
        private final List<Path> files;
        private Duration retainRemovedFor = Duration.ofHours(12);
        private Duration checkInterval = Duration.ofSeconds(10);

        private Builder(KeyFileFormat format, List<Path> files) {
            this.format = Objects.requireNonNull(format, "format");
            this.files = List.copyOf(Objects.requireNonNull(files, "files"));
            if (this.files.isEmpty()) {
                throw new IllegalArgumentException("no key files given");
            }
            if (format == KeyFileFormat.HAPROXY && this.files.size() != 1) {
                throw new IllegalArgumentException("a HAProxy key file holds all its keys; give one file, not "
                        + this.files.size());
            }
        }

        /** How long a key that left the files keeps opening tickets. Default 12 hours. */
        public Builder retainRemovedFor(Duration retainRemovedFor) {
            this.retainRemovedFor = Durations.notNegative("retainRemovedFor", retainRemovedFor);
            return this;
        }

        /** How often the handle checks the files for changes. Default 10 seconds: a read of a few small files. */
        public Builder checkInterval(Duration checkInterval) {
            this.checkInterval = Durations.positive("checkInterval", checkInterval);
            return this;
        }

        public KeyFiles build() {
            return new KeyFiles(this);
        }
    }
}
