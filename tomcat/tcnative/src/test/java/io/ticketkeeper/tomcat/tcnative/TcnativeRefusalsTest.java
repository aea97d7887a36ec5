package io.ticketkeeper.tomcat.tcnative;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.tomcat.TicketKeeperProperties;
import io.ticketkeeper.tomcat.TicketKeeperSslImplementation;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.AprLifecycleListener;
import org.apache.tomcat.jni.Library;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connector that TicketKeeper cannot serve fails to start, visibly ({@code throwOnFailure}, as
 * {@code -Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true} sets it for every connector), with a message that
 * says why: a wrong setting names the file, the setting and the value; a tomcat-native whose context layout
 * TicketKeeper does not know is named, and nothing is read from its context.
 */
class TcnativeRefusalsTest {
    @TempDir
    Path folder;

    @AfterEach
    void clear() {
        System.clearProperty(TicketKeeperProperties.FILE_PROPERTY);
    }

    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause).append('\n');
        }
        return messages.toString();
    }

    private String failedStart() throws Exception {
        HostCertificate certificate = HostCertificate.create(folder, "a.test", "b.test");
        LifecycleException failure = assertThrows(LifecycleException.class, () -> Tomcat10.start(
                folder.resolve("tomcat"), TicketKeeperSslImplementation.class.getName(), certificate, "a.test",
                "b.test").close());
        assertTrue(TicketKeeperSslImplementation.openHandles().isEmpty(), "a failed connector left a handle open");
        return messages(failure);
    }

    @Test
    void aWrongSettingNamesTheFileTheSettingAndTheValue() throws Exception {
        Path settings = folder.resolve("ticketkeeper.properties");
        Files.writeString(settings, "policy.maxAge = 12 hours\n");
        System.setProperty(TicketKeeperProperties.FILE_PROPERTY, settings.toString());
        String messages = failedStart();
        assertTrue(messages.contains("TicketKeeper: " + settings + ": policy.maxAge = '12 hours': not a duration"),
                messages);
        assertFalse(messages.contains("host 'a.test'"), messages);
    }

    @Test
    void aTcnativeWhoseLayoutIsNotKnownIsRefusedByVersion() throws Exception {
        new AprLifecycleListener();
        assertTrue(AprLifecycleListener.isAprAvailable(), "tomcat-native did not load");
        int patch = Library.TCN_PATCH_VERSION;
        Library.TCN_PATCH_VERSION = 99;
        try {
            String messages = failedStart();
            assertTrue(messages.contains("tomcat-native " + Library.TCN_MAJOR_VERSION + "." + Library.TCN_MINOR_VERSION
                    + ".99 is not a version whose context layout TicketKeeper knows"), messages);
        } finally {
            Library.TCN_PATCH_VERSION = patch;
        }
    }
}
