package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKeeperException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which of the jar's native shims this process can use. The jar carries one shim per platform and OpenSSL
 * generation, {@code io/ticketkeeper/native/<os>-<arch>/openssl-<abi>/<library>}, listed in {@value #INDEX}; the
 * process's platform picks the directory, and the OpenSSL it has already loaded picks the generation, since one
 * process can hold only one OpenSSL that its {@code SSL_CTX}s come from. The decisions are pure functions here;
 * {@link NativeLibrary} reads the index, the process's mappings and loads the file.
 */
final class NativeShims {
    static final String INDEX = "/io/ticketkeeper/native/shims.txt";
    private static final String PREFIX = "openssl-";
    /* A loaded libssl in /proc/self/maps: its soname's version is the shim variant it needs. */
    private static final Pattern LIBSSL = Pattern.compile("/libssl\\.so\\.([0-9]+(?:\\.[0-9]+)?)$");

    private NativeShims() {
    }

    /** One shim in the jar. {@code variant} is {@code openssl-<abi>}, the libssl soname version it links. */
    record Shim(String platform, String variant, String file) {
        String resource() {
            return "/io/ticketkeeper/native/" + platform + "/" + variant + "/" + file;
        }

        /* The newest OpenSSL first: the one to try when the process has loaded none yet. */
        static final Comparator<Shim> NEWEST_FIRST = Comparator.comparingInt(Shim::abi).reversed();

        /* "openssl-1.1" -> 1001, "openssl-3" -> 3000. */
        private int abi() {
            String[] numbers = variant.substring(PREFIX.length()).split("\\.");
            return Integer.parseInt(numbers[0]) * 1000 + (numbers.length > 1 ? Integer.parseInt(numbers[1]) : 0);
        }
    }

    /** The platform's directory name: {@code linux-x86_64}, {@code linux-aarch64}, {@code macos-aarch64}, ... */
    static String platform(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os = name.startsWith("linux") ? "linux"
                : name.startsWith("mac") || name.startsWith("darwin") ? "macos"
                : name.startsWith("windows") ? "windows"
                : name.replaceAll("[^a-z0-9]", "");
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return os + "-" + arch;
    }

    /** Reads the index: one {@code <platform>/<variant>/<file>} per line; other lines are ignored. */
    static List<Shim> parseIndex(List<String> lines) {
        List<Shim> shims = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.strip().split("/");
            if (parts.length == 3 && parts[1].matches(PREFIX + "[0-9]+(\\.[0-9]+)?")) {
                shims.add(new Shim(parts[0], parts[1], parts[2]));
            }
        }
        return shims;
    }

    /** The OpenSSL generations whose libssl the process has mapped, from the lines of {@code /proc/self/maps}. */
    static Set<String> loadedVariants(List<String> mappings) {
        Set<String> variants = new TreeSet<>();
        for (String line : mappings) {
            Matcher matcher = LIBSSL.matcher(line.strip());
            if (matcher.find()) {
                variants.add(PREFIX + matcher.group(1));
            }
        }
        return variants;
    }

    /**
     * The shims to try, in order: the one for the OpenSSL the process has loaded, or, when it has loaded none, every
     * shim of the platform, newest OpenSSL first. Throws with the platform and what the jar carries when none fits.
     */
    static List<Shim> candidates(List<Shim> carried, String osName, String osArch, Set<String> loaded) {
        String platform = platform(osName, osArch);
        List<Shim> mine = carried.stream().filter(shim -> shim.platform().equals(platform))
                .sorted(Shim.NEWEST_FIRST).toList();
        if (mine.isEmpty()) {
            throw new TicketKeeperException("the TicketKeeper jar has no native shim for " + platform + " (os.name "
                    + osName + ", os.arch " + osArch + "); it carries " + describe(carried) + ". Build the shim for this "
                    + "platform (README, \"Platforms\") and set -D" + NativeLibrary.PATH_PROPERTY + " to its file");
        }
        if (loaded.size() > 1) {
            throw new TicketKeeperException("this process has loaded " + loaded.size() + " generations of OpenSSL ("
                    + libssl(loaded) + "), so TicketKeeper cannot tell which one your SSL_CTX comes from; load one, "
                    + "or set -D" + NativeLibrary.PATH_PROPERTY + " to the shim built for it");
        }
        if (loaded.isEmpty()) {
            return mine;
        }
        List<Shim> matching = mine.stream().filter(shim -> loaded.contains(shim.variant())).toList();
        if (matching.isEmpty()) {
            throw new TicketKeeperException("this process has loaded " + libssl(loaded) + ", but the TicketKeeper "
                    + "jar has no shim for that OpenSSL on " + platform + " (it carries " + describe(mine) + "); set -D"
                    + NativeLibrary.PATH_PROPERTY + " to a shim built against it");
        }
        return matching;
    }

    /** "linux-x86_64 (openssl-3, openssl-1.1), windows-x86_64 (openssl-3)", or "no shim at all". */
    static String describe(List<Shim> shims) {
        if (shims.isEmpty()) {
            return "no shim at all";
        }
        Map<String, List<String>> byPlatform = new TreeMap<>();
        shims.stream().sorted(Shim.NEWEST_FIRST)
                .forEach(shim -> byPlatform.computeIfAbsent(shim.platform(), p -> new ArrayList<>()).add(shim.variant()));
        return byPlatform.entrySet().stream().map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String libssl(Set<String> variants) {
        return variants.stream().sorted().map(variant -> "libssl.so." + variant.substring(PREFIX.length()))
                .collect(Collectors.joining(" and "));
    }
}
