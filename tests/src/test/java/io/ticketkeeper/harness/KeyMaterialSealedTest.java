package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ticketkeeper.TicketKey;

import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ticket key's secrets cannot be reached from outside the library without reflection, on the class path: no
 * public method returns them, and a class that claims the library's package from another jar is refused (the jar
 * is sealed) or, loaded apart, cannot touch the package-private reader.
 */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class KeyMaterialSealedTest {
    private static final String SPY = """
            package io.ticketkeeper;

            public class Spy {
                public static java.nio.ByteBuffer steal(TicketKey key) {
                    return KeyMaterial.READER.material(key);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void noPublicMethodOfTheKeyReturnsItsSecrets() {
        for (Method method : TicketKey.class.getMethods()) {
            if (method.getDeclaringClass() != TicketKey.class) {
                continue;
            }
            boolean bytes = method.getReturnType() == byte[].class || ByteBuffer.class.isAssignableFrom(
                    method.getReturnType());
            assertTrue(!bytes || method.getName().equals("name"), "TicketKey." + method.getName()
                    + " returns bytes");
        }
    }

    @Test
    void aClassAddedToTheLibraryPackageFromAnotherJarIsRefused() throws Exception {
        Path library = libraryJar();
        Path spy = spyJar(library);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {library.toUri().toURL(), spy.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            loader.loadClass("io.ticketkeeper.TicketKey");
            SecurityException refused = assertThrows(SecurityException.class,
                    () -> loader.loadClass("io.ticketkeeper.Spy"));
            assertTrue(refused.getMessage().contains("sealing violation"), refused.getMessage());
        }
    }

    @Test
    void aSpyLoadedApartCannotCallThePackagePrivateReader() throws Exception {
        Path library = libraryJar();
        Path spy = spyJar(library);
        try (URLClassLoader libraryLoader = new URLClassLoader(new URL[] {library.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
                URLClassLoader spyLoader = new URLClassLoader(new URL[] {spy.toUri().toURL()}, libraryLoader)) {
            Class<?> keyClass = libraryLoader.loadClass("io.ticketkeeper.TicketKey");
            Object key = keyClass.getMethod("generate").invoke(null);
            Method steal = spyLoader.loadClass("io.ticketkeeper.Spy").getMethod("steal", keyClass);
            assertTrue(Modifier.isStatic(steal.getModifiers()));
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> steal.invoke(null, key));
            assertEquals(IllegalAccessError.class, e.getCause().getClass(), String.valueOf(e.getCause()));
        }
    }

    private static Path libraryJar() throws Exception {
        Path jar = Path.of(TicketKey.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(jar.toString().endsWith(".jar"), "the library is not on the class path as a jar: " + jar);
        return jar;
    }

    /** Spy.java compiled against the library jar (it compiles: the package name is the same) into its own jar. */
    private Path spyJar(Path library) throws Exception {
        Path source = dir.resolve("io/ticketkeeper/Spy.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, SPY);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-cp", library.toString(), "-d", dir.toString(),
                source.toString()), "Spy.java did not compile");
        Path jar = dir.resolve("spy.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("io/ticketkeeper/Spy.class"));
            out.write(Files.readAllBytes(dir.resolve("io/ticketkeeper/Spy.class")));
            out.closeEntry();
        }
        return jar;
    }
}
