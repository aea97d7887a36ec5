package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module exports the API packages and nothing else (the sealed entry format, used by the Redis store and the
 * fleet alike, lives in the unexported io.ticketkeeper.internal), and every exported package says what it is in a
 * package-info.java. Read from the compiled descriptor and the sources, as the build leaves them.
 */
class ExportedPackagesTest {
    private static final Set<String> API = Set.of("io.ticketkeeper", "io.ticketkeeper.session",
            "io.ticketkeeper.session.redis", "io.ticketkeeper.fleet", "io.ticketkeeper.micrometer",
            "io.ticketkeeper.jmx");

    @Test
    void onlyTheApiPackagesAreExportedAndEachHasItsPackageInfo() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(API), exported);
        for (String name : exported) {
            Path info = Path.of("src/main/java", name.replace('.', '/'), "package-info.java");
            assertTrue(Files.readString(info).contains("/**"), info + " has no Javadoc");
        }
        assertFalse(Files.exists(Path.of("src/main/java/io/ticketkeeper/session/redis/SealedEntries.java")),
                "SealedEntries belongs to io.ticketkeeper.internal, not to an exported package");
    }
}
