package io.ticketkeeper.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting what fixtures left in their directories. */
final class Files2 {
    private Files2() {
    }

    /** Deletes {@code dir} and everything in it, quietly (a fixture's leftovers only). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // leftovers under target/, removed by the next clean
        }
    }
}
