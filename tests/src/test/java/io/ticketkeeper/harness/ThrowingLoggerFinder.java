package io.ticketkeeper.harness;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * A {@link System.LoggerFinder} whose loggers throw on every log call, for {@link UpcallErrorsTest}'s child JVMs
 * only (registered there through a services file of their own, never in the test JVM): logging a failure inside an
 * upcall must not be what ends the JVM. Logging outside upcalls (at attach, at load) is not under test: the loggers
 * throw only while {@link #armed}.
 */
public final class ThrowingLoggerFinder extends System.LoggerFinder {
    /** Loggers throw only while armed (set around the handshakes under test); until then they drop everything. */
    static volatile boolean armed;

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return armed;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
                if (armed) {
                    throw new StackOverflowError("a logger that throws (constructed by the test)");
                }
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                if (armed) {
                    throw new OutOfMemoryError("a logger that throws (constructed by the test)");
                }
            }

            @Override
            public void log(Level level, Supplier<String> message, Throwable thrown) {
                if (armed) {
                    throw new StackOverflowError("a logger that throws (constructed by the test)");
                }
            }
        };
    }
}
