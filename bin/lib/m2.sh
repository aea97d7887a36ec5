# Sourced by bin/release-check and bin/example-tests: the PRIVATE local Maven repository target/m2 that they install
# TicketKeeper's artifacts into and build the examples against; the shared ~/.m2 is never written. Callers set $root.

tk_m2="$root/target/m2"

# tk_seed_m2: makes target/m2 once, as hard links to ~/.m2/repository (nothing is downloaded twice) without any
# TicketKeeper artifact of another build. The few files Maven rewrites in place (metadata, markers, properties) are
# real copies, so that no write reaches the shared repository through a link.
tk_seed_m2() {
    [ -d "$tk_m2" ] && return 0
    mkdir -p "$tk_m2"
    [ -d "$HOME/.m2/repository" ] || return 0
    cp -al "$HOME/.m2/repository/." "$tk_m2/"
    rm -rf "$tk_m2/io/ticketkeeper"
    find "$tk_m2" -type f \( -name '*.properties' -o -name 'maven-metadata*' -o -name '_remote.repositories' \
        -o -name '*.lastUpdated' \) -exec sh -c 'for f; do cp -p "$f" "$f.copy" && mv -f "$f.copy" "$f"; done' sh {} +
}
