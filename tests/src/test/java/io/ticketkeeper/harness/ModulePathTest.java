package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.ticketkeeper.TicketKeeper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library as a named module: a consumer module on the module path (not the class path the harness uses)
 * requires io.ticketkeeper, makes a real SSL_CTX with its own FFM downcalls, installs TicketKeeper (which loads
 * its FFM backend from the jar's versioned part), publishes and rotates keys, and reads the counters; and it
 * cannot reach the library's internals.
 */
class ModulePathTest {
    private static final String MODULE_INFO = """
            module consumer {
                requires io.ticketkeeper;
            }
            """;
    private static final String MAIN = """
            package consumer;

            import io.ticketkeeper.TicketKeeper;
            import io.ticketkeeper.TicketKeeperHandle;
            import io.ticketkeeper.TicketKeeperOptions;
            import io.ticketkeeper.TicketKey;
            import java.lang.foreign.*;
            import java.lang.invoke.MethodHandle;

            public class Main {
                public static void main(String[] args) throws Throwable {
                    Linker linker = Linker.nativeLinker();
                    SymbolLookup ssl = SymbolLookup.libraryLookup("libssl.so.3", Arena.global());
                    MethodHandle method = linker.downcallHandle(ssl.findOrThrow("TLS_server_method"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS));
                    MethodHandle ctxNew = linker.downcallHandle(ssl.findOrThrow("SSL_CTX_new"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
                    MethodHandle ctxFree = linker.downcallHandle(ssl.findOrThrow("SSL_CTX_free"),
                            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
                    MemorySegment ctx = (MemorySegment) ctxNew.invoke((MemorySegment) method.invoke());
                    try (TicketKeeperHandle handle = TicketKeeper.install(ctx.address(),
                            TicketKeeperOptions.builder().keys(TicketKey.generate()).build())) {
                        handle.setKeys(TicketKey.generate(), handle.keys().key(0));
                        System.out.println("module " + TicketKeeper.class.getModule().getName() + ", keys "
                                + handle.keys().size() + ", generation " + handle.keys().generation() + ", "
                                + handle.stats());
                    }
                    ctxFree.invoke(ctx);
                    try {
                        Class.forName("io.ticketkeeper.internal.Backends").getMethod("get").invoke(null);
                        System.out.println("internals reachable?!");
                    } catch (IllegalAccessException e) {
                        System.out.println("internals concealed");
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aConsumerModuleInstallsOnARealContext() throws Exception {
        assumeTrue(Runtime.version().feature() >= 23, "the consumer makes its SSL_CTX with Panama FFM (Java 23+)");
        Path library = jarOf(TicketKeeper.class);
        Path caffeine = jarOf(Caffeine.class);
        Path jna = jarOf(com.sun.jna.Native.class);
        String modulePath = library + ":" + caffeine + ":" + jna;
        Path sources = dir.resolve("src/consumer");
        Files.createDirectories(sources.resolve("consumer"));
        Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(sources.resolve("consumer/Main.java"), MAIN);
        Path classes = dir.resolve("classes");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--module-path", modulePath,
                "-d", classes.toString(), sources.resolve("module-info.java").toString(),
                sources.resolve("consumer/Main.java").toString());
        assertEquals(0, compiled, "the consumer module did not compile against the library module");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "--enable-native-access=io.ticketkeeper,consumer",
                "--module-path", modulePath + ":" + classes, "-m", "consumer/consumer.Main"))
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the consumer JVM did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), out);
        assertTrue(out.contains("module io.ticketkeeper, keys 2, generation 2"), out);
        assertTrue(out.contains("internals concealed"), out);
        assertTrue(!out.contains("WARNING"), "the module needed more than --enable-native-access: " + out);
    }

    private static Path jarOf(Class<?> type) throws Exception {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(jar.toString().endsWith(".jar"), type + " is not in a jar: " + jar);
        return jar;
    }
}
