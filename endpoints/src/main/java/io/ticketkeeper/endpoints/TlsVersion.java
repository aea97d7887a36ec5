package io.ticketkeeper.endpoints;

/** The protocol versions the endpoints pin both ends to. */
public enum TlsVersion {
    TLS1_2(0x0303, "TLSv1.2"),
    TLS1_3(0x0304, "TLSv1.3");

    private final int code;
    private final String displayName;

    TlsVersion(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    /** OpenSSL's number for the version (TLS1_2_VERSION, TLS1_3_VERSION). */
    public int code() {
        return code;
    }

    public static TlsVersion of(int code) {
        for (TlsVersion version : values()) {
            if (version.code == code) {
                return version;
            }
        }
        throw new IllegalArgumentException("not a TLS version the endpoints know: 0x" + Integer.toHexString(code));
    }

    @Override
    public String toString() {
        return displayName;
    }
}
