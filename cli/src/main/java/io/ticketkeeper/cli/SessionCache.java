package io.ticketkeeper.cli;

/**
 * Where {@code serve} keeps stateful sessions (resumption by session id). TicketKeeper's own session stores
 * (memory, {@code redis://…}) are wired in here once the library has them.
 */
enum SessionCache {
    /** No stateful sessions: only tickets resume. */
    NONE,
    /** OpenSSL's built-in per-context cache. */
    OPENSSL;

    static SessionCache parse(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "none", "off" -> NONE;
            case "openssl", "internal" -> OPENSSL;
            default -> throw new picocli.CommandLine.TypeConversionException("session cache '" + value
                    + "' is not available in this build; use none or openssl");
        };
    }
}
