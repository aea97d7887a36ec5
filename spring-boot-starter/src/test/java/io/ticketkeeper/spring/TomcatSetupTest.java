package io.ticketkeeper.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector check before the server is made, on this test's class path: Tomcat 11 (tomcat-embed-core) without
 * Tomcat's FFM classes, on the build's Java (22+).
 */
class TomcatSetupTest {
    private String libraryPath;

    @BeforeEach
    void keepLibraryPath() {
        libraryPath = System.getProperty("java.library.path");
    }

    @AfterEach
    void restoreLibraryPath() {
        System.setProperty("java.library.path", libraryPath);
    }

    /** Without the FFM classes and without tomcat-native: one report saying what to add, and useApr left alone. */
    @Test
    void noConnectorStopsTheStartWithOneMessageSayingWhatToAdd(@TempDir Path empty) {
        System.setProperty("java.library.path", empty.toString());
        List<Boolean> useApr = new ArrayList<>();
        TicketKeeperConfigurationException failure = assertThrows(TicketKeeperConfigurationException.class,
                () -> TomcatSetup.chooseConnector(useApr::add));
        assertTrue(failure.getMessage().matches("Tomcat 11\\.\\S+ on Java \\d+ has no OpenSSL connector for "
                + "TicketKeeper"), failure.getMessage());
        assertTrue(failure.action().startsWith("Either add the dependency "
                + "io.ticketkeeper:ticketkeeper-tomcat-coyote-ffm (Tomcat " + TomcatSetup.ffmVersion()
                + "'s FFM connector) and set the Maven property tomcat.version to " + TomcatSetup.ffmVersion()
                + ", or install tomcat-native"), failure.action());
        assertTrue(failure.action().contains("(searched: [" + empty + "])"), failure.action());
        assertEquals(List.of(), useApr);
    }

    /** tomcat-native in a folder of java.library.path: Boot is asked for Tomcat's AprLifecycleListener. */
    @Test
    void tomcatNativeOnTheLibraryPathTurnsUseAprOn(@TempDir Path folder) throws IOException {
        Files.createFile(folder.resolve(System.mapLibraryName("tcnative-1")));
        System.setProperty("java.library.path", folder.toString());
        List<Boolean> useApr = new ArrayList<>();
        TomcatSetup.chooseConnector(useApr::add);
        assertEquals(List.of(true), useApr);
    }

    @Test
    void theFfmVersionIsTheBuildsTomcat() {
        assertTrue(TomcatSetup.ffmVersion().matches("11\\.0\\.\\d+"), TomcatSetup.ffmVersion());
    }
}
