package io.ticketkeeper.endpoints;

import java.util.Objects;

/** The protocol versions an end offers, from {@code min} to {@code max}. */
public record VersionRange(TlsVersion min, TlsVersion max) {
    /** TLS 1.2 and TLS 1.3. */
    public static final VersionRange ALL = new VersionRange(TlsVersion.TLS1_2, TlsVersion.TLS1_3);

    public VersionRange {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min version " + min + " is above max version " + max);
        }
    }

    /** Only {@code version}. */
    public static VersionRange only(TlsVersion version) {
        return new VersionRange(version, version);
    }

    /** The range a command's {@code --tls1.2}/{@code --tls1.3} flags select: one of them alone pins it. */
    public static VersionRange fromFlags(boolean tls12, boolean tls13) {
        TlsVersion min = tls13 && !tls12 ? TlsVersion.TLS1_3 : TlsVersion.TLS1_2;
        TlsVersion max = tls12 && !tls13 ? TlsVersion.TLS1_2 : TlsVersion.TLS1_3;
        return new VersionRange(min, max);
    }

    /** Limits {@code ctx} (an {@code SSL_CTX *}) to this range. */
    void applyTo(long ctx) {
        OpenSslCalls.check(OpenSslCalls.SSL.SSL_CTX_set_min_proto_version(ctx, min.code()), "set_min_proto_version");
        OpenSslCalls.check(OpenSslCalls.SSL.SSL_CTX_set_max_proto_version(ctx, max.code()), "set_max_proto_version");
    }

    @Override
    public String toString() {
        return min == max ? min.toString() : min + "-" + max;
    }
}
