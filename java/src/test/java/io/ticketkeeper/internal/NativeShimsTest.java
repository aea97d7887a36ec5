package io.ticketkeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.internal.NativeShims.Shim;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The choice of the jar's shim: platform names, the index, the OpenSSL the process loaded, and the errors. */
class NativeShimsTest {
    private static final List<Shim> CARRIED = NativeShims.parseIndex(List.of(
            "linux-aarch64/openssl-1.1/libticketkeeper.so",
            "linux-aarch64/openssl-3/libticketkeeper.so",
            "linux-x86_64/openssl-1.1/libticketkeeper.so",
            "linux-x86_64/openssl-3/libticketkeeper.so",
            "windows-x86_64/openssl-3/ticketkeeper.dll"));

    private static List<String> variants(List<Shim> shims) {
        return shims.stream().map(Shim::variant).toList();
    }

    @Test
    void platformNamesFollowTheJarLayoutWhateverTheJvmCallsThem() {
        assertEquals("linux-x86_64", NativeShims.platform("Linux", "amd64"));
        assertEquals("linux-aarch64", NativeShims.platform("Linux", "aarch64"));
        assertEquals("macos-aarch64", NativeShims.platform("Mac OS X", "aarch64"));
        assertEquals("macos-x86_64", NativeShims.platform("Mac OS X", "x86_64"));
        assertEquals("windows-x86_64", NativeShims.platform("Windows Server 2022", "amd64"));
        assertEquals("freebsd-riscv64", NativeShims.platform("FreeBSD", "riscv64"));
    }

    @Test
    void theIndexListsPlatformVariantAndFileAndNothingElse() {
        List<Shim> shims = NativeShims.parseIndex(List.of("linux-x86_64/openssl-3/libticketkeeper.so", "",
                "shims.txt", "linux-x86_64/not-openssl/libticketkeeper.so", "a/b/c/d"));
        assertEquals(List.of(new Shim("linux-x86_64", "openssl-3", "libticketkeeper.so")), shims);
        assertEquals("/io/ticketkeeper/native/linux-x86_64/openssl-3/libticketkeeper.so", shims.get(0).resource());
    }

    @Test
    void theLoadedLibsslNamesTheVariant() {
        List<String> maps = List.of(
                "7f1c2a000000-7f1c2a0b0000 r--p 00000000 fe:01 1234   /usr/lib/x86_64-linux-gnu/libssl.so.1.1",
                "7f1c2b000000-7f1c2b0b0000 r--p 00000000 fe:01 1235   /usr/lib/x86_64-linux-gnu/libcrypto.so.1.1",
                "7f1c2c000000-7f1c2c0b0000 r--p 00000000 fe:01 1236   /usr/lib/jvm/lib/server/libjvm.so");
        assertEquals(Set.of("openssl-1.1"), NativeShims.loadedVariants(maps));
        assertEquals(Set.of("openssl-3"),
                NativeShims.loadedVariants(List.of("7f00-7f10 r-xp 0 0:0 1 /opt/openssl/lib64/libssl.so.3")));
        assertEquals(Set.of(), NativeShims.loadedVariants(List.of("7f00-7f10 r-xp 0 0:0 1 /tmp/libssl.so.3.bak")));
    }

    @Test
    void withNoOpenSslLoadedEveryShimOfThePlatformIsTriedNewestFirst() {
        assertEquals(List.of("openssl-3", "openssl-1.1"),
                variants(NativeShims.candidates(CARRIED, "Linux", "amd64", Set.of())));
        assertEquals(List.of("openssl-3"), variants(NativeShims.candidates(CARRIED, "Windows 11", "amd64", Set.of())));
    }

    @Test
    void theOpenSslTheProcessLoadedPicksTheShim() {
        assertEquals(List.of("openssl-1.1"),
                variants(NativeShims.candidates(CARRIED, "Linux", "aarch64", Set.of("openssl-1.1"))));
        assertEquals(List.of("openssl-3"),
                variants(NativeShims.candidates(CARRIED, "Linux", "aarch64", Set.of("openssl-3"))));
    }

    @Test
    void aPlatformWithoutAShimIsNamedWithWhatTheJarCarries() {
        TicketKeeperException e = assertThrows(TicketKeeperException.class,
                () -> NativeShims.candidates(CARRIED, "Linux", "riscv64", Set.of()));
        assertTrue(e.getMessage().startsWith("the TicketKeeper jar has no native shim for linux-riscv64 (os.name "
                + "Linux, os.arch riscv64); it carries linux-aarch64 (openssl-3, openssl-1.1), linux-x86_64 "
                + "(openssl-3, openssl-1.1), windows-x86_64 (openssl-3)."), e.getMessage());
        assertTrue(e.getMessage().contains("-Dticketkeeper.library.path"), e.getMessage());
        TicketKeeperException empty = assertThrows(TicketKeeperException.class,
                () -> NativeShims.candidates(List.of(), "Linux", "amd64", Set.of()));
        assertTrue(empty.getMessage().contains("it carries no shim at all"), empty.getMessage());
    }

    @Test
    void anOpenSslWithoutAShimIsNamed() {
        List<Shim> onlyThree = NativeShims.parseIndex(List.of("linux-x86_64/openssl-3/libticketkeeper.so"));
        TicketKeeperException e = assertThrows(TicketKeeperException.class,
                () -> NativeShims.candidates(onlyThree, "Linux", "amd64", Set.of("openssl-1.1")));
        assertTrue(e.getMessage().startsWith("this process has loaded libssl.so.1.1, but the TicketKeeper jar has no "
                + "shim for that OpenSSL on linux-x86_64 (it carries linux-x86_64 (openssl-3))"), e.getMessage());
    }

    @Test
    void twoLoadedOpenSslsAreRefusedByName() {
        TicketKeeperException e = assertThrows(TicketKeeperException.class,
                () -> NativeShims.candidates(CARRIED, "Linux", "amd64", Set.of("openssl-1.1", "openssl-3")));
        assertTrue(e.getMessage().startsWith("this process has loaded 2 generations of OpenSSL (libssl.so.1.1 and "
                + "libssl.so.3)"), e.getMessage());
    }
}
